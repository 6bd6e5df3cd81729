package org.sluice.source.spooldir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An Avro schema, as far as the AVRO deserializer needs one: to find where each record of a container file
 * block ends, to re-encode it the way Avro's generic writer does (one block per array and map), and to give
 * the 64-bit Rabin fingerprint of its Parsing Canonical Form that Flume puts in {@code flume.avro.schema.hash}.
 */
final class AvroSchema {
    private static final Set<String> PRIMITIVES = Set.of("null", "boolean", "int", "long", "float", "double",
            "bytes", "string");

    /** One node of the schema. */
    abstract static class Node {
    }

    static final class Primitive extends Node {
        final String type;

        Primitive(String type) {
            this.type = type;
        }
    }

    abstract static class Named extends Node {
        final String fullName;

        Named(String fullName) {
            this.fullName = fullName;
        }
    }

    static final class Record extends Named {
        final List<String> fieldNames = new ArrayList<>();
        final List<Node> fieldTypes = new ArrayList<>();

        Record(String fullName) {
            super(fullName);
        }
    }

    static final class EnumNode extends Named {
        final List<String> symbols;

        EnumNode(String fullName, List<String> symbols) {
            super(fullName);
            this.symbols = symbols;
        }
    }

    static final class Fixed extends Named {
        final int size;

        Fixed(String fullName, int size) {
            super(fullName);
            this.size = size;
        }
    }

    static final class ArrayNode extends Node {
        final Node items;

        ArrayNode(Node items) {
            this.items = items;
        }
    }

    static final class MapNode extends Node {
        final Node values;

        MapNode(Node values) {
            this.values = values;
        }
    }

    static final class Union extends Node {
        final List<Node> branches;

        Union(List<Node> branches) {
            this.branches = branches;
        }
    }

    final Node root;
    final String json;

    private AvroSchema(Node root, String json) {
        this.root = root;
        this.json = json;
    }

    /** Parses a schema's JSON; a schema this cannot read throws IllegalArgumentException saying why. */
    static AvroSchema parse(String json) {
        return new AvroSchema(new Parser().parse(Json.parse(json), ""), json);
    }

    // ------------------------------------------------------------ parsing

    private static final class Parser {
        private final Map<String, Named> names = new HashMap<>();

        Node parse(Object json, String namespace) {
            if (json instanceof String name) {
                if (PRIMITIVES.contains(name)) {
                    return new Primitive(name);
                }
                Named named = names.get(fullName(name, namespace));
                if (named == null) {
                    named = names.get(name);
                }
                if (named == null) {
                    throw new IllegalArgumentException("unknown type '" + name + "'");
                }
                return named;
            }
            if (json instanceof List<?> list) {
                List<Node> branches = new ArrayList<>();
                for (Object branch : list) {
                    branches.add(parse(branch, namespace));
                }
                return new Union(branches);
            }
            if (!(json instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("not a schema: " + json);
            }
            Object type = map.get("type");
            if (!(type instanceof String typeName)) {
                if (type == null) {
                    throw new IllegalArgumentException("a schema object without a type");
                }
                return parse(type, namespace);
            }
            switch (typeName) {
                case "record", "error" -> {
                    String fullName = namedFullName(map, namespace);
                    Record record = new Record(fullName);
                    register(record);
                    String inner = namespaceOf(fullName);
                    Object fields = map.get("fields");
                    if (!(fields instanceof List<?> fieldList)) {
                        throw new IllegalArgumentException("record " + fullName + " has no fields array");
                    }
                    for (Object field : fieldList) {
                        if (!(field instanceof Map<?, ?> fieldMap) || !(fieldMap.get("name") instanceof String fieldName)) {
                            throw new IllegalArgumentException("record " + fullName + " has a field without a name");
                        }
                        record.fieldNames.add(fieldName);
                        record.fieldTypes.add(parse(fieldMap.get("type"), inner));
                    }
                    return record;
                }
                case "enum" -> {
                    String fullName = namedFullName(map, namespace);
                    List<String> symbols = new ArrayList<>();
                    if (map.get("symbols") instanceof List<?> list) {
                        for (Object symbol : list) {
                            symbols.add(String.valueOf(symbol));
                        }
                    }
                    EnumNode node = new EnumNode(fullName, symbols);
                    register(node);
                    return node;
                }
                case "fixed" -> {
                    String fullName = namedFullName(map, namespace);
                    if (!(map.get("size") instanceof Long size)) {
                        throw new IllegalArgumentException("fixed " + fullName + " has no integer size");
                    }
                    Fixed node = new Fixed(fullName, size.intValue());
                    register(node);
                    return node;
                }
                case "array" -> {
                    return new ArrayNode(parse(map.get("items"), namespace));
                }
                case "map" -> {
                    return new MapNode(parse(map.get("values"), namespace));
                }
                default -> {
                    // {"type": "long", "logicalType": "timestamp-millis"} and the like: the primitive.
                    return parse(typeName, namespace);
                }
            }
        }

        private void register(Named named) {
            if (names.putIfAbsent(named.fullName, named) != null) {
                throw new IllegalArgumentException("type " + named.fullName + " is defined twice");
            }
        }

        private static String namedFullName(Map<?, ?> map, String enclosing) {
            if (!(map.get("name") instanceof String name)) {
                throw new IllegalArgumentException("a named type without a name");
            }
            if (name.contains(".")) {
                return name;
            }
            Object namespace = map.get("namespace");
            return fullName(name, namespace instanceof String ns ? ns : enclosing);
        }

        private static String fullName(String name, String namespace) {
            return name.contains(".") || namespace == null || namespace.isEmpty() ? name : namespace + "." + name;
        }

        private static String namespaceOf(String fullName) {
            int dot = fullName.lastIndexOf('.');
            return dot < 0 ? "" : fullName.substring(0, dot);
        }
    }

    // ------------------------------------------------------------ fingerprint

    /** Avro's Parsing Canonical Form of this schema. */
    String canonicalForm() {
        StringBuilder out = new StringBuilder();
        canonical(root, new HashSet<>(), out);
        return out.toString();
    }

    private static void canonical(Node node, Set<String> seen, StringBuilder out) {
        if (node instanceof Primitive p) {
            out.append('"').append(p.type).append('"');
        } else if (node instanceof Named named && !seen.add(named.fullName)) {
            out.append('"').append(named.fullName).append('"');
        } else if (node instanceof Record r) {
            out.append("{\"name\":\"").append(r.fullName).append("\",\"type\":\"record\",\"fields\":[");
            for (int i = 0; i < r.fieldNames.size(); i++) {
                out.append(i == 0 ? "" : ",").append("{\"name\":\"").append(r.fieldNames.get(i)).append("\",\"type\":");
                canonical(r.fieldTypes.get(i), seen, out);
                out.append('}');
            }
            out.append("]}");
        } else if (node instanceof EnumNode e) {
            out.append("{\"name\":\"").append(e.fullName).append("\",\"type\":\"enum\",\"symbols\":[");
            for (int i = 0; i < e.symbols.size(); i++) {
                out.append(i == 0 ? "" : ",").append('"').append(e.symbols.get(i)).append('"');
            }
            out.append("]}");
        } else if (node instanceof Fixed f) {
            out.append("{\"name\":\"").append(f.fullName).append("\",\"type\":\"fixed\",\"size\":").append(f.size)
                    .append('}');
        } else if (node instanceof ArrayNode a) {
            out.append("{\"type\":\"array\",\"items\":");
            canonical(a.items, seen, out);
            out.append('}');
        } else if (node instanceof MapNode m) {
            out.append("{\"type\":\"map\",\"values\":");
            canonical(m.values, seen, out);
            out.append('}');
        } else if (node instanceof Union u) {
            out.append('[');
            for (int i = 0; i < u.branches.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                canonical(u.branches.get(i), seen, out);
            }
            out.append(']');
        }
    }

    private static final long EMPTY = 0xc15d213aa4d7a795L;
    private static final long[] TABLE = new long[256];

    static {
        for (int i = 0; i < 256; i++) {
            long fp = i;
            for (int j = 0; j < 8; j++) {
                fp = (fp >>> 1) ^ (EMPTY & -(fp & 1L));
            }
            TABLE[i] = fp;
        }
    }

    /** The CRC-64-AVRO fingerprint of the canonical form, little-endian, in lower-case hex, as Flume writes it. */
    String fingerprintHex() {
        long fp = EMPTY;
        for (byte b : canonicalForm().getBytes(StandardCharsets.UTF_8)) {
            fp = (fp >>> 8) ^ TABLE[(int) (fp ^ b) & 0xff];
        }
        byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) fp;
            fp >>= 8;
        }
        return HexFormat.of().formatHex(bytes);
    }

    // ------------------------------------------------------------ records

    /** Reads one datum of this schema from {@code in} and writes it, as Avro's generic writer would, to {@code out}. */
    void copyDatum(Input in, ByteArrayOutputStream out) {
        copy(root, in, out);
    }

    private static void copy(Node node, Input in, ByteArrayOutputStream out) {
        if (node instanceof Primitive p) {
            switch (p.type) {
                case "null" -> { }
                case "boolean" -> out.write(in.readByte());
                case "int", "long" -> writeLong(out, in.readLong());
                case "float" -> in.copy(4, out);
                case "double" -> in.copy(8, out);
                default -> { // bytes, string
                    long length = in.readLong();
                    if (length < 0) {
                        throw new IllegalArgumentException("negative length " + length);
                    }
                    writeLong(out, length);
                    in.copy(length, out);
                }
            }
        } else if (node instanceof Record r) {
            for (Node field : r.fieldTypes) {
                copy(field, in, out);
            }
        } else if (node instanceof EnumNode) {
            writeLong(out, in.readLong());
        } else if (node instanceof Fixed f) {
            in.copy(f.size, out);
        } else if (node instanceof ArrayNode a) {
            copyBlocks(in, out, a.items, false);
        } else if (node instanceof MapNode m) {
            copyBlocks(in, out, m.values, true);
        } else if (node instanceof Union u) {
            long index = in.readLong();
            if (index < 0 || index >= u.branches.size()) {
                throw new IllegalArgumentException("union branch " + index + " does not exist");
            }
            writeLong(out, index);
            copy(u.branches.get((int) index), in, out);
        }
    }

    /** Arrays and maps may come in several blocks, some with byte sizes; the generic writer makes one block. */
    private static void copyBlocks(Input in, ByteArrayOutputStream out, Node items, boolean map) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        long total = 0;
        for (long count; (count = in.readLong()) != 0; ) {
            if (count < 0) {
                count = -count;
                in.readLong(); // the block's size in bytes, for skipping: not needed when reading every item
            }
            for (long i = 0; i < count; i++) {
                if (map) {
                    copy(new Primitive("string"), in, body);
                }
                copy(items, in, body);
            }
            total += count;
        }
        if (total > 0) {
            writeLong(out, total);
            out.writeBytes(body.toByteArray());
        }
        writeLong(out, 0);
    }

    static void writeLong(ByteArrayOutputStream out, long value) {
        long n = (value << 1) ^ (value >> 63);
        while ((n & ~0x7FL) != 0) {
            out.write((int) ((n & 0x7F) | 0x80));
            n >>>= 7;
        }
        out.write((int) n);
    }

    /** Bytes of one decoded block. */
    static final class Input {
        private final byte[] data;
        private final int length;
        private int at;

        Input(byte[] data, int length) {
            this.data = data;
            this.length = length;
        }

        int readByte() {
            if (at >= length) {
                throw new IllegalArgumentException("a record runs past the end of its block");
            }
            return data[at++] & 0xff;
        }

        long readLong() {
            long n = 0;
            for (int shift = 0; ; shift += 7) {
                if (shift > 63) {
                    throw new IllegalArgumentException("a variable-length integer is too long");
                }
                int b = readByte();
                n |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            return (n >>> 1) ^ -(n & 1);
        }

        void copy(long count, ByteArrayOutputStream out) {
            if (count > length - at) {
                throw new IllegalArgumentException("a record runs past the end of its block");
            }
            out.write(data, at, (int) count);
            at += (int) count;
        }
    }
}

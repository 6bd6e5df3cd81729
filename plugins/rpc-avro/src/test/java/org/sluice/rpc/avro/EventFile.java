package org.sluice.rpc.avro;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Events handed between the test and the Flume peer in its child JVM, as a file of headers and bodies. JDK types
 * only: the child runs on Flume's class path, not on Sluice's.
 */
final class EventFile {
    record Entry(Map<String, String> headers, byte[] body) {
    }

    private EventFile() {
    }

    static void write(Path file, List<Entry> events) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.writeInt(events.size());
            for (Entry event : events) {
                out.writeInt(event.headers().size());
                for (Map.Entry<String, String> header : event.headers().entrySet()) {
                    out.writeUTF(header.getKey());
                    out.writeUTF(header.getValue());
                }
                out.writeInt(event.body().length);
                out.write(event.body());
            }
        }
    }

    static List<Entry> read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            int count = in.readInt();
            List<Entry> events = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int headers = in.readInt();
                Map<String, String> map = new LinkedHashMap<>();
                for (int h = 0; h < headers; h++) {
                    map.put(in.readUTF(), in.readUTF());
                }
                byte[] body = new byte[in.readInt()];
                in.readFully(body);
                events.add(new Entry(map, body));
            }
            return events;
        }
    }
}

package org.sluice.source.spooldir;

import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.sluice.api.format.EventDeserializerFactory;

/** The source's configuration, checked and resolved by the factory. */
record Settings(
        Path spoolDir,
        String fileSuffix,
        boolean deleteImmediately,
        boolean trackerDirPolicy,
        String fileHeaderKey,       // null: no file header
        String basenameHeaderKey,   // null: no basename header
        Pattern includePattern,
        Pattern ignorePattern,
        Path trackerDir,
        SpoolDirectorySourceFactory.ConsumeOrder consumeOrder,
        long pollDelay,
        boolean recursive,
        long maxBackoff,
        int batchSize,
        Charset inputCharset,
        CodingErrorAction decodeErrorAction,
        Deserializer deserializer,
        int maxLineLength,
        Charset outputCharset,
        int maxBlobLength,
        boolean avroLiteralSchema,
        String pluginDeserializer,  // PLUGIN: the class name the deserializer key gives; else null
        EventDeserializerFactory pluginDeserializers) { // PLUGIN: its provider; else null

    /** The built-in deserializers, and PLUGIN for one another bundle provides (a Flume plugin's builder). */
    enum Deserializer { LINE, BLOB, AVRO, PLUGIN }

    /** The deserializer's name as saved with a position: LINE, BLOB, AVRO, or the plugin's class name. */
    String deserializerName() {
        return deserializer == Deserializer.PLUGIN ? pluginDeserializer : deserializer.name();
    }
}

package org.sluice.source.spooldir;

import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Path;
import java.util.regex.Pattern;

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
        boolean avroLiteralSchema) {

    enum Deserializer { LINE, BLOB, AVRO }
}

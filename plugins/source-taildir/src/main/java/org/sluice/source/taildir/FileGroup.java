package org.sluice.source.taildir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One of the source's file groups: the files whose name matches {@code fileName} (a regular expression on the
 * whole name, as Flume's) in {@code directory}, or, with directory globs, in every directory below
 * {@code directory} whose relative path matches {@code directoryGlob}.
 *
 * @param name          the group's name ({@code f1})
 * @param configured    the path as configured, for messages
 * @param directory     the directory listed, or where a glob's walk starts: the glob's part without wildcards
 * @param directoryGlob the glob's components below {@code directory} ({@code **}, {@code app-*}); empty: the
 *                      directory itself
 * @param fileName      the file names to tail
 * @param headers       {@code headers.<group>.*}: put into every event of the group's files
 * @param multiline     how lines make up events; null: one line, one event
 */
record FileGroup(String name, String configured, Path directory, List<String> directoryGlob, Pattern fileName,
                 Map<String, String> headers, MultilineRule multiline) {

    boolean walks() {
        return !directoryGlob.isEmpty();
    }
}

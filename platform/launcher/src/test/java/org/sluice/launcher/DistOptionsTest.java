package org.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistOptionsTest {

    @Test
    void readsTheIssuesExample() throws UsageException {
        DistOptions options = DistOptions.parse(List.of("--plugins", "avro,file,hdfs", "--add", "my-sink.jar",
                "--conf", "my.conf", "-o", "mydist.tar.gz"));
        assertEquals(Optional.of(List.of("avro", "file", "hdfs")), options.plugins());
        assertEquals(List.of(Path.of("my-sink.jar")), options.added());
        assertEquals(Optional.of(Path.of("my.conf")), options.confFile());
        assertEquals(DistOptions.Format.TAR_GZ, options.format());
        assertEquals("mydist", options.name(), "the name defaults to the tarball's");
        assertTrue(options.validate());
    }

    @Test
    void theOutputsFileNameChoosesTheFormat() throws UsageException {
        assertEquals(DistOptions.Format.TAR_GZ, DistOptions.parse(List.of("-o", "x.tgz")).format());
        assertEquals(DistOptions.Format.DEB, DistOptions.parse(List.of("-o", "out/x.deb")).format());
        assertEquals("sluice", DistOptions.parse(List.of("-o", "out/x.deb")).name(), "a package is sluice by default");
        assertEquals(DistOptions.Format.DIRECTORY, DistOptions.parse(List.of("--output=build/mine")).format());
    }

    @Test
    void repeatedListsAddUpAndNoValidateIsKept() throws UsageException {
        DistOptions options = DistOptions.parse(List.of("--plugins", "seq", "--plugins=memory", "--add", "a.jar,b.jar",
                "--add", "c.jar", "--no-validate", "--name", "edge", "-o", "x.tar.gz"));
        assertEquals(Optional.of(List.of("seq", "memory")), options.plugins());
        assertEquals(3, options.added().size());
        assertFalse(options.validate());
        assertEquals("edge", options.name());
    }

    @Test
    void refusesWhatCannotBeBuilt() {
        assertThrows(UsageException.class, () -> DistOptions.parse(List.of("--plugins", "seq")), "no output");
        assertThrows(UsageException.class, () -> DistOptions.parse(List.of("--agent", "a1", "-o", "x.tgz")),
                "--agent without --conf");
        assertThrows(UsageException.class, () -> DistOptions.parse(List.of("--name", "My_Dist", "-o", "x.deb")),
                "not a Debian package name");
        assertThrows(UsageException.class, () -> DistOptions.parse(List.of("--plugins", ",", "-o", "x.tgz")));
        assertThrows(UsageException.class, () -> DistOptions.parse(List.of("--bogus", "-o", "x.tgz")));
    }

    @Test
    void aDebianVersionSortsASnapshotBeforeItsRelease() {
        assertEquals("0.1.0~SNAPSHOT", DebianPackage.debianVersion("0.1.0-SNAPSHOT"));
        assertEquals("1.2.3", DebianPackage.debianVersion("1.2.3"));
        assertEquals("0.0.0~dev", DebianPackage.debianVersion("(development build)"));
    }

    @Test
    void theAgentsOfAFileAreThePrefixesOfItsComponentLists(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("two.conf");
        Files.writeString(file, "a1.sources = r1\na1.channels = c1\nb2.sinks = k1\na1.sources.r1.type = seq\n");
        assertEquals(Set.of("a1", "b2"), DistCommand.agentsOf(file));
    }
}

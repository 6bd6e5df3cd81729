package org.sluice.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Debian package of a distribution tree, built with {@code dpkg-deb}:
 * <pre>
 * /opt/NAME/                  the tree (bin/, lib/, bundle/, deploy/, etc/, plugins.d/, packaging/)
 * /opt/NAME/conf -&gt; ../../etc/NAME  the tree's conf/, kept as conffiles: an upgrade keeps the user's edits
 * /usr/bin/NAME -&gt; ../../opt/NAME/bin/sluice
 * /lib/systemd/system/NAME.service   packaging/sluice.service (it names everything after the unit: %N)
 * /var/lib/NAME, /var/log/NAME       the agent's data and logs (created by systemd for the service's user)
 * </pre>
 * The maintainer scripts are packaging/deb/postinst, prerm and postrm of the tree; they read the package's name
 * from dpkg ({@code DPKG_MAINTSCRIPT_PACKAGE}), so the same scripts serve every distribution name.
 */
final class DebianPackage {
    static final String UNIT = "packaging/sluice.service";
    static final List<String> MAINTAINER_SCRIPTS = List.of("postinst", "prerm", "postrm");

    private DebianPackage() {
    }

    /**
     * @param tree    a distribution tree ({@link DistTree})
     * @param staging an empty directory to lay the package out in
     */
    static void build(Path tree, String name, String sluiceVersion, Path staging, Path output)
            throws IOException, InterruptedException, UsageException {
        for (String required : List.of(UNIT, "packaging/deb/postinst")) {
            if (!Files.isRegularFile(tree.resolve(required))) {
                throw new UsageException("dist: this installation has no " + required + ": a .deb cannot be built "
                        + "from it");
            }
        }
        Path opt = staging.resolve("opt").resolve(name);
        Files.createDirectories(opt.getParent());
        Path etc = staging.resolve("etc").resolve(name);
        Files.createDirectories(etc.getParent());
        Files.move(tree.resolve("conf"), etc);
        deleteIfEmpty(tree.resolve("data"));
        deleteIfEmpty(tree.resolve("logs"));
        Files.move(tree, opt);
        // Relative links (where Debian's policy would have absolute ones between top-level directories): the
        // package then works unchanged when installed under another root (dpkg --root, a chroot, an image).
        Files.createSymbolicLink(opt.resolve("conf"), Path.of("../../etc", name));
        Path bin = Files.createDirectories(staging.resolve("usr/bin"));
        Files.createSymbolicLink(bin.resolve(name), Path.of("../../opt", name, "bin", "sluice"));
        Path units = Files.createDirectories(staging.resolve("lib/systemd/system"));
        Files.copy(opt.resolve(UNIT), units.resolve(name + ".service"));

        Path control = Files.createDirectories(staging.resolve("DEBIAN"));
        for (String script : MAINTAINER_SCRIPTS) {
            Path source = opt.resolve("packaging/deb").resolve(script);
            if (Files.isRegularFile(source)) {
                Path copy = control.resolve(script);
                Files.copy(source, copy);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        writeText(control.resolve("conffiles"), conffiles(staging, etc));
        writeText(control.resolve("control"), control(name, debianVersion(sluiceVersion), installedKilobytes(staging)));
        normalisePermissions(staging);
        Files.createDirectories(output.toAbsolutePath().getParent());
        dpkgDeb(staging, output);
    }

    /** 0.1.0-SNAPSHOT is 0.1.0~SNAPSHOT: a snapshot sorts before its release, as Debian's tilde does. */
    static String debianVersion(String version) {
        if (version.isEmpty() || !Character.isDigit(version.charAt(0))) {
            return "0.0.0~dev";
        }
        return version.replace('-', '~').replaceAll("[^A-Za-z0-9.+~]", "");
    }

    static String control(String name, String version, long installedKilobytes) {
        return String.join("\n",
                "Package: " + name,
                "Version: " + version,
                "Architecture: all",
                "Maintainer: Sluice developers <sluice@localhost>",
                "Installed-Size: " + installedKilobytes,
                // Java 17 or later, from Debian's packages or any JRE that provides the virtual package.
                "Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless, adduser",
                "Section: admin",
                "Priority: optional",
                "Description: Sluice event collection agent (" + name + ")",
                " Collects event data (logs, clickstreams, metrics) from many machines and moves",
                " it reliably into Hadoop and other stores; a drop-in replacement for Apache",
                " Flume 1.x on an OSGi kernel. Runs as the systemd service " + name + ".service.",
                "");
    }

    private static String conffiles(Path staging, Path etc) throws IOException {
        try (Stream<Path> files = Files.walk(etc)) {
            return files.filter(Files::isRegularFile).sorted()
                    .map(file -> "/" + staging.relativize(file).toString().replace('\\', '/'))
                    .collect(Collectors.joining("\n", "", "\n"));
        }
    }

    private static long installedKilobytes(Path staging) throws IOException {
        try (Stream<Path> files = Files.walk(staging)) {
            long bytes = files.filter(file -> Files.isRegularFile(file) && !Files.isSymbolicLink(file))
                    .mapToLong(file -> file.toFile().length()).sum();
            return (bytes + 1023) / 1024;
        }
    }

    /**
     * Directories 0755 and files 0644 or 0755 (as they had the owner's execute bit): temporary directories are
     * made private (0700), and dpkg-deb packs modes as they are.
     */
    private static void normalisePermissions(Path staging) throws IOException {
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(staging)) {
            walk.filter(path -> !Files.isSymbolicLink(path)).forEach(paths::add);
        }
        for (Path path : paths) {
            boolean executable = Files.isDirectory(path) || Files.isExecutable(path)
                    && Files.getPosixFilePermissions(path).contains(java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        }
    }

    private static void dpkgDeb(Path staging, Path output) throws IOException, InterruptedException, UsageException {
        // --root-owner-group: every file root's, whoever builds the package (no fakeroot needed).
        List<String> command = List.of("dpkg-deb", "--root-owner-group", "--build", staging.toString(),
                output.toAbsolutePath().toString());
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UsageException("dist: cannot run dpkg-deb (Debian's dpkg package) to build " + output + ": "
                    + e.getMessage());
        }
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException("dpkg-deb failed building " + output + ":\n" + text);
        }
    }

    private static void deleteIfEmpty(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            try (Stream<Path> entries = Files.list(directory)) {
                if (entries.findAny().isEmpty()) {
                    Files.delete(directory);
                }
            }
        }
    }

    private static void writeText(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}

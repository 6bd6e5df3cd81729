package org.sluice.source.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A command and every process it starts, ended together. The command starts as the leader of a process group of
 * its own ({@code setsid}, where the system has it), so that its pipeline's processes (a shell's {@code tail -F f |
 * cat}) can be found even after their parent died: they are the processes of that group, and the command's
 * descendants. Ending the tree sends SIGTERM to every one of them from the leaves up, so each parent still alive
 * reaps its children and no zombie is left behind, waits, and sends SIGKILL to whatever is still there.
 */
final class ProcessTree {

    /** How long the processes get to end after SIGTERM before SIGKILL. */
    static final long TERM_GRACE_MILLIS = 3000;

    private static final Optional<Path> SETSID = findOnPath("setsid");
    private static final Path PROC = Path.of("/proc");

    private final Process root;
    private final boolean ownGroup;

    private ProcessTree(Process root, boolean ownGroup) {
        this.root = root;
        this.ownGroup = ownGroup;
    }

    /**
     * Starts {@code command} in a process group of its own; {@code builder} holds everything but the command. A
     * program that is not there fails here, not in the child ({@code setsid} would start and exit 127).
     */
    static ProcessTree start(ProcessBuilder builder, List<String> command) throws IOException {
        String program = command.get(0);
        boolean found = program.contains("/") ? Files.isExecutable(Path.of(program))
                : findOnPath(program).isPresent();
        if (!found) {
            throw new IOException("no executable " + program + (program.contains("/") ? "" : " on the PATH"));
        }
        List<String> full = new ArrayList<>();
        SETSID.ifPresent(setsid -> full.add(setsid.toString()));
        full.addAll(command);
        return new ProcessTree(builder.command(full).start(), SETSID.isPresent());
    }

    /** Whether commands start in a group of their own here. */
    static boolean groupsAvailable() {
        return SETSID.isPresent() && Files.isDirectory(PROC);
    }

    Process process() {
        return root;
    }

    long pid() {
        return root.pid();
    }

    /**
     * Ends the command and every process of its tree and group; returns when none is left or after
     * {@link #TERM_GRACE_MILLIS} plus the time SIGKILL takes.
     */
    void end() throws InterruptedException {
        List<ProcessHandle> members = members();
        // Leaves first: their parents, still alive, reap them.
        for (ProcessHandle member : members) {
            member.destroy();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TERM_GRACE_MILLIS);
        awaitEnd(members, deadline);
        root.destroy();
        if (!root.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            root.destroyForcibly();
        }
        for (ProcessHandle member : members()) {
            member.destroyForcibly();
        }
        root.waitFor(5, TimeUnit.SECONDS);
        awaitEnd(members(), System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
    }

    /** The processes of the tree and of the group other than the command itself, deepest first. */
    List<ProcessHandle> members() {
        Map<Long, ProcessHandle> members = new LinkedHashMap<>();
        root.toHandle().descendants().forEach(handle -> members.put(handle.pid(), handle));
        if (ownGroup) {
            for (long pid : groupMembers(root.pid())) {
                if (pid != root.pid()) {
                    ProcessHandle.of(pid).ifPresent(handle -> members.putIfAbsent(pid, handle));
                }
            }
        }
        List<ProcessHandle> ordered = new ArrayList<>(members.values());
        ordered.sort(Comparator.comparingInt(ProcessTree::depth).reversed());
        return ordered;
    }

    private static int depth(ProcessHandle handle) {
        int depth = 0;
        for (Optional<ProcessHandle> parent = handle.parent(); parent.isPresent() && depth < 64;
                parent = parent.get().parent()) {
            depth++;
        }
        return depth;
    }

    private static void awaitEnd(List<ProcessHandle> processes, long deadline) throws InterruptedException {
        for (ProcessHandle process : processes) {
            while (process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
    }

    /** The pids of the processes whose process group is {@code group} (zombies included), from /proc. */
    static List<Long> groupMembers(long group) {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> entries = Files.list(PROC)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long[] stat = stat(entry);
                if (stat != null && stat[1] == group) {
                    pids.add(Long.parseLong(name));
                }
            }
        } catch (IOException e) {
            // no /proc: the tree alone is ended
        }
        return pids;
    }

    /** {parent pid, process group} of a /proc/<pid> entry, and its state in [2]; null if it is gone. */
    static long[] stat(Path entry) {
        String stat;
        try {
            stat = Files.readString(entry.resolve("stat"));
        } catch (IOException e) {
            return null;
        }
        // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so read after the last ')'.
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] fields = stat.substring(close + 2).split(" ");
        if (fields.length < 3) {
            return null;
        }
        return new long[] {Long.parseLong(fields[1]), Long.parseLong(fields[2]), fields[0].charAt(0)};
    }

    private static Optional<Path> findOnPath(String program) {
        String path = System.getenv("PATH");
        List<String> directories = new ArrayList<>(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
        if (path != null) {
            directories.addAll(0, List.of(path.split(java.io.File.pathSeparator)));
        }
        for (String directory : directories) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}

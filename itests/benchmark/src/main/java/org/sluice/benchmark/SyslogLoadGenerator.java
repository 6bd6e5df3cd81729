package org.sluice.benchmark;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds a syslog TCP source as fast as TCP takes lines: a few connections, each with a writer thread sending RFC 3164
 * lines of a fixed size ({@code <13>Dec  6 01:02:03 bench-host app[42]: ...}). Syslog has no answer, so nothing is
 * counted as refused: the agent's channel counter is the measure. Runs inside the harness's JVM.
 */
final class SyslogLoadGenerator implements LoadGenerator {
    private final Scenario.SyslogLoad load;
    private final byte[] line;
    private final LoadThreads threads = new LoadThreads();
    private final List<Socket> sockets = new ArrayList<>();

    SyslogLoadGenerator(Scenario.SyslogLoad load) {
        this.load = load;
        byte[] header = "<13>Dec  6 01:02:03 bench-host app[42]: ".getBytes(StandardCharsets.US_ASCII);
        this.line = new byte[Math.max(load.lineBytes(), header.length) + 1];
        System.arraycopy(header, 0, line, 0, header.length);
        for (int i = header.length; i < line.length - 1; i++) {
            line[i] = (byte) ('a' + i % 26);
        }
        line[line.length - 1] = '\n';
    }

    @Override
    public void start(Duration connectTimeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + connectTimeout.toNanos();
        for (int c = 0; c < load.connections(); c++) {
            Socket socket = NetcatLoadGenerator.connect(load.target(), deadline);
            sockets.add(socket);
            threads.start("syslog-load-writer-" + c, () -> write(socket));
        }
    }

    private void write(Socket socket) throws IOException {
        OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        while (threads.running()) {
            out.write(line);
        }
    }

    @Override
    public void check() throws IOException {
        threads.check("Syslog load to " + load.target());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        threads.stop(() -> {
            for (Socket socket : sockets) {
                socket.close();
            }
        });
    }
}

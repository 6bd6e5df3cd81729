package org.sluice.itests.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A person in an IRC channel: joins it and keeps every message said there. */
final class IrcWatcher implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final CountDownLatch joined = new CountDownLatch(1);
    private final Thread reader;

    private IrcWatcher(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.reader = new Thread(this::read, "irc-watcher");
        this.reader.setDaemon(true);
    }

    static IrcWatcher join(int port, String channel) throws IOException, InterruptedException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        IrcWatcher watcher = new IrcWatcher(socket);
        watcher.reader.start();
        watcher.send("NICK watcher");
        watcher.send("USER watcher 0 * :Sluice test");
        watcher.send("JOIN #" + channel);
        if (!watcher.joined.await(20, TimeUnit.SECONDS)) {
            throw new AssertionError("could not join #" + channel + "; heard: " + watcher.messages);
        }
        return watcher;
    }

    /** The texts said in the channel by others, in order. */
    List<String> messages() {
        return List.copyOf(messages);
    }

    private void send(String line) throws IOException {
        synchronized (out) {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] parts = line.split(" ", 4);
                if (parts[0].equals("PING")) {
                    send("PONG " + line.substring(5));
                } else if (parts.length >= 2 && parts[1].equals("366")) {
                    joined.countDown(); // end of the channel's names: the JOIN is done
                } else if (parts.length == 4 && parts[1].equals("PRIVMSG") && parts[3].startsWith(":")) {
                    messages.add(parts[3].substring(1));
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

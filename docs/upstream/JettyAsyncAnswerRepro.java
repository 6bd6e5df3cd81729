import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import java.util.function.BiConsumer;
import org.eclipse.jetty.http.*;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.*;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty 12 loses answers given after the handler returned: a non-blocking handler reads each body with Jetty's own
 * {@code Content.Source.asByteArrayAsync} and answers when that future completes, while four raw-socket clients post
 * 300 bodies each over kept-alive connections. Every request should be answered 200 and every byte counted; see
 * jetty-async-answer.md beside this file for what happens instead.
 *
 * <p>Arguments: {@code inline} (default) answers where the future completes, inside Jetty's demand callback;
 * {@code pool} answers on a thread of the server's pool; {@code blocking}, the control, is a blocking handler that
 * reads the body with blocking reads and answers before it returns (this one passes). A second argument
 * {@code whole} writes each request in one write; by default the headers and the first 1,000 bytes of the body are
 * written, then the rest 1 ms later.
 */
public class JettyAsyncAnswerRepro {
    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "inline";
        boolean onPool = mode.equals("pool");
        boolean whole = args.length > 1 && args[1].equals("whole");
        QueuedThreadPool threads = new QueuedThreadPool();
        Server server = new Server(threads);
        ServerConnector c = new ServerConnector(server);
        c.setHost("127.0.0.1");
        server.addConnector(c);
        AtomicLong bytes = new AtomicLong();
        Handler.Abstract control = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                byte[] body = Content.Source.asInputStream(request).readAllBytes();
                bytes.addAndGet(body.length);
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
                callback.succeeded();
                return true;
            }
        };
        server.setHandler(mode.equals("blocking") ? control : new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                BiConsumer<byte[], Throwable> answer = (body, failure) -> {
                    if (failure != null) {
                        Response.writeError(request, response, callback, failure);
                        return;
                    }
                    bytes.addAndGet(body.length);
                    response.setStatus(200);
                    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
                    callback.succeeded();
                };
                CompletableFuture<byte[]> body = Content.Source.asByteArrayAsync(request, 1 << 20);
                if (onPool) {
                    body.whenCompleteAsync(answer, threads);
                } else {
                    body.whenComplete(answer);
                }
                return true;
            }
        });
        server.start();
        int port = c.getLocalPort();
        int clients = 4, requests = 300, length = 2100;
        byte[] body = new byte[length];
        Arrays.fill(body, (byte) 'x');
        byte[] head = ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] request = Arrays.copyOf(head, head.length + length);
        System.arraycopy(body, 0, request, head.length, length);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<String>> results = new ArrayList<>();
        for (int k = 0; k < clients; k++) {
            results.add(pool.submit(() -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setTcpNoDelay(true);
                    s.setSoTimeout(5000);
                    OutputStream out = s.getOutputStream();
                    BufferedInputStream in = new BufferedInputStream(s.getInputStream());
                    for (int i = 0; i < requests; i++) {
                        if (whole) {
                            out.write(request);
                        } else {
                            out.write(request, 0, head.length + 1000);
                            out.flush();
                            Thread.sleep(1);
                            out.write(request, head.length + 1000, length - 1000);
                        }
                        out.flush();
                        String status = line(in);
                        if (status == null || !status.startsWith("HTTP/1.1 200")) {
                            return "request " + i + ": " + status;
                        }
                        long answerLength = 0;
                        for (String h; !(h = line(in)).isEmpty(); ) {
                            if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                                answerLength = Long.parseLong(h.substring(15).trim());
                            }
                        }
                        in.skipNBytes(answerLength);
                    }
                    return "ok";
                } catch (Exception e) {
                    return e.toString();
                }
            }));
        }
        for (Future<String> f : results) System.out.println(f.get());
        System.out.println("bytes " + bytes.get() + " of " + (long) clients * requests * length);
        pool.shutdown();
        server.stop();
    }

    static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int ch; (ch = in.read()) != -1; ) {
            if (ch == '\n') return b.toString().trim();
            b.append((char) ch);
        }
        return b.length() == 0 ? null : b.toString();
    }
}

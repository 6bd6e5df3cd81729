package org.sluice.benchmark.rpcload;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.flume.Event;
import org.apache.flume.EventDeliveryException;
import org.apache.flume.api.RpcClient;
import org.apache.flume.api.RpcClientFactory;
import org.apache.flume.event.EventBuilder;

/**
 * The load of the RPC scenarios: Apache Flume 1.11.0's own SDK client, as applications embed it, sending batches
 * of fixed-size events as fast as the agent acknowledges them. It runs as its own JVM on Flume's class path (the
 * harness itself never loads a Flume class), started by the harness's RpcLoadGenerator, and prints its counts
 * every 200 ms on one line: {@code acked EVENTS failed BATCHES}. It stops when its standard input closes.
 *
 * <p>Arguments: {@code avro|thrift HOST PORT CONNECTIONS BATCH_SIZE EVENT_BYTES}.
 */
public final class FlumeRpcLoad {
    private static final AtomicLong ACKED = new AtomicLong();
    private static final AtomicLong FAILED = new AtomicLong();
    private static volatile boolean running = true;

    private FlumeRpcLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: FlumeRpcLoad avro|thrift HOST PORT CONNECTIONS BATCH_SIZE EVENT_BYTES");
            System.exit(2);
        }
        String client = args[0];
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        int connections = Integer.parseInt(args[3]);
        int batchSize = Integer.parseInt(args[4]);
        int eventBytes = Integer.parseInt(args[5]);
        List<Event> batch = batch(batchSize, eventBytes);

        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Thread sender = new Thread(() -> send(client, host, port, batchSize, batch), "rpc-load-" + i);
            sender.setDaemon(true);
            sender.start();
            senders.add(sender);
        }
        Thread stdinWatch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // Anything on stdin is ignored; its end means the harness is done.
                }
            } catch (java.io.IOException e) {
                // The harness went away: stop as well.
            }
            running = false;
        }, "rpc-load-stdin");
        stdinWatch.setDaemon(true);
        stdinWatch.start();
        while (running) {
            System.out.println("acked " + ACKED.get() + " failed " + FAILED.get());
            System.out.flush();
            Thread.sleep(200);
        }
        for (Thread sender : senders) {
            sender.join(5_000);
        }
        System.out.println("acked " + ACKED.get() + " failed " + FAILED.get());
    }

    /** The same batch goes each time: the agents neither know nor care, and the client does no extra work. */
    private static List<Event> batch(int batchSize, int eventBytes) {
        byte[] body = new byte[eventBytes];
        for (int i = 0; i < eventBytes; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        Map<String, String> headers = new HashMap<>();
        headers.put("host", "web-1");
        List<Event> events = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            events.add(EventBuilder.withBody(body, headers));
        }
        return events;
    }

    private static void send(String client, String host, int port, int batchSize, List<Event> batch) {
        RpcClient rpc = null;
        while (running) {
            try {
                if (rpc == null || !rpc.isActive()) {
                    if (rpc != null) {
                        rpc.close();
                    }
                    rpc = connect(client, host, port, batchSize);
                }
                rpc.appendBatch(batch);
                ACKED.addAndGet(batch.size());
            } catch (EventDeliveryException | RuntimeException e) {
                FAILED.incrementAndGet();
                if (rpc != null) {
                    rpc.close();
                    rpc = null;
                }
                pause();
            }
        }
        if (rpc != null) {
            rpc.close();
        }
    }

    private static RpcClient connect(String client, String host, int port, int batchSize) {
        Properties properties = new Properties();
        properties.setProperty("client.type", client.equals("thrift") ? "thrift" : "default");
        properties.setProperty("hosts", "h1");
        properties.setProperty("hosts.h1", host + ":" + port);
        properties.setProperty("batch-size", Integer.toString(batchSize));
        return RpcClientFactory.getInstance(properties);
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

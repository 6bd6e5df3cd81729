package org.sluice.rpc.avro;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.flume.Context;
import org.apache.flume.Event;
import org.apache.flume.Transaction;
import org.apache.flume.api.RpcClient;
import org.apache.flume.api.RpcClientFactory;
import org.apache.flume.channel.ChannelProcessor;
import org.apache.flume.channel.MemoryChannel;
import org.apache.flume.channel.ReplicatingChannelSelector;
import org.apache.flume.conf.Configurables;
import org.apache.flume.event.EventBuilder;
import org.apache.flume.source.AvroSource;

/**
 * The Apache Flume 1.11.0 side of {@link FlumeChildJvmTest}, run in a child JVM on Flume's own Avro (1.11.0)
 * and Netty (netty-all 4.1.72). Arguments: {@code client <port> <key=value>... <events file>} sends the file's
 * events with Flume's default RPC client; {@code server <port> <key=value>... <count> <output file>} runs
 * Flume's AvroSource into a MemoryChannel, prints READY, and writes the first {@code count} events it receives.
 * Every other key=value is a Flume client or source key. It prints the Avro and Netty versions it runs on.
 */
public final class FlumePeer {
    private FlumePeer() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        out.println("VERSIONS avro=" + org.apache.avro.Schema.class.getPackage().getImplementationVersion()
                + " netty=" + io.netty.util.Version.identify().get("netty-common").artifactVersion());
        String mode = args[0];
        int port = Integer.parseInt(args[1]);
        Map<String, String> keys = new HashMap<>();
        for (int i = 2; i < args.length - (mode.equals("server") ? 2 : 1); i++) {
            String[] pair = args[i].split("=", 2);
            keys.put(pair[0], pair[1]);
        }
        if (mode.equals("client")) {
            client(port, keys, Path.of(args[args.length - 1]));
        } else {
            server(port, keys, Integer.parseInt(args[args.length - 2]), Path.of(args[args.length - 1]));
        }
        out.println("DONE");
        out.flush();
        // Flume's Netty threads are not daemons; the peer's work is done.
        System.exit(0);
    }

    private static void client(int port, Map<String, String> keys, Path events) throws Exception {
        Properties properties = new Properties();
        properties.put("hosts", "h1");
        properties.put("hosts.h1", "127.0.0.1:" + port);
        properties.put("batch-size", "100");
        properties.putAll(keys);
        RpcClient client = RpcClientFactory.getInstance(properties);
        try {
            List<Event> batch = new ArrayList<>();
            for (EventFile.Entry entry : EventFile.read(events)) {
                batch.add(EventBuilder.withBody(entry.body(), entry.headers()));
            }
            // Most in batches, the last ones one by one: both of Flume's calls.
            client.appendBatch(batch.subList(0, batch.size() - 5));
            for (Event event : batch.subList(batch.size() - 5, batch.size())) {
                client.append(event);
            }
        } finally {
            client.close();
        }
    }

    private static void server(int port, Map<String, String> keys, int count, Path output) throws Exception {
        MemoryChannel channel = new MemoryChannel();
        channel.setName("flume-c1");
        Configurables.configure(channel, new Context(Map.of("capacity", "10000", "transactionCapacity", "1000",
                "keep-alive", "1")));
        ReplicatingChannelSelector selector = new ReplicatingChannelSelector();
        selector.setChannels(List.of(channel));
        AvroSource source = new AvroSource();
        source.setName("flume-r1");
        source.setChannelProcessor(new ChannelProcessor(selector));
        Map<String, String> sourceKeys = new HashMap<>(keys);
        sourceKeys.put("bind", "127.0.0.1");
        sourceKeys.put("port", Integer.toString(port));
        Configurables.configure(source, new Context(sourceKeys));
        channel.start();
        source.start();
        System.out.println("READY");
        System.out.flush();
        List<EventFile.Entry> received = new ArrayList<>();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (received.size() < count && System.nanoTime() < deadline) {
            Transaction transaction = channel.getTransaction();
            transaction.begin();
            try {
                for (Event event = channel.take(); event != null && received.size() < count; event = channel.take()) {
                    received.add(new EventFile.Entry(event.getHeaders(), event.getBody()));
                    if (received.size() == count) {
                        break;
                    }
                }
                transaction.commit();
            } catch (RuntimeException e) {
                transaction.rollback();
                throw e;
            } finally {
                transaction.close();
            }
        }
        EventFile.write(output, received);
        source.stop();
        channel.stop();
    }
}

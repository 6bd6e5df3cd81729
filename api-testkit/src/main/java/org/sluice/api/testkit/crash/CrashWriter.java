package org.sluice.api.testkit.crash;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.sluice.api.channel.Channel;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.testkit.ChannelTransactions;

/**
 * The process {@link ChannelCrashRounds} kills: two producers put numbered events into a channel and a consumer
 * takes them, each printing what a commit acknowledged, only after commit() returned:
 * {@code ACK <first> <last> .} and {@code TAKEN <n>,<n>,... .}, the latter announced by {@code TAKING <n>,... .}
 * before the commit (the trailing dot tells a whole line from one cut by the kill). Arguments: the channel
 * factory's class, a properties file with the channel's keys, the data root and the first number to use.
 */
public final class CrashWriter {
    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> properties = ChannelCrashRounds.readProperties(Path.of(args[1]));
        Path root = Path.of(args[2]);
        long base = Long.parseLong(args[3]);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        Channel channel = ChannelCrashRounds.open(args[0], properties, root);
        Thread second = new Thread(() -> produce(channel, base + 5_000_000, out), "producer-2");
        Thread consumer = new Thread(() -> consume(channel, out), "consumer");
        second.start();
        consumer.start();
        produce(channel, base, out);
    }

    private static void produce(Channel channel, long first, PrintStream out) {
        for (long next = first; true; ) {
            int batch = ThreadLocalRandom.current().nextInt(1, 21);
            List<Event> events = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                events.add(EventBuilder.withBody(next + i + "|" + "p".repeat(ThreadLocalRandom.current().nextInt(200)),
                        StandardCharsets.UTF_8));
            }
            ChannelTransactions.putCommitted(channel, events);
            out.println("ACK " + next + " " + (next + batch - 1) + " .");
            next += batch;
        }
    }

    private static void consume(Channel channel, PrintStream out) {
        while (true) {
            int batch = ThreadLocalRandom.current().nextInt(1, 31);
            List<String> numbers = ChannelTransactions.inTransaction(channel, () -> {
                List<String> taken = new ArrayList<>();
                for (Event event; taken.size() < batch && (event = channel.take()) != null; ) {
                    String body = new String(event.getBody(), StandardCharsets.UTF_8);
                    taken.add(body.substring(0, body.indexOf('|')));
                }
                if (!taken.isEmpty()) {
                    // Said before the commit: a kill between commit and the TAKEN line leaves these gone for
                    // good, and the test must know they may be.
                    out.println("TAKING " + String.join(",", taken) + " .");
                }
                return taken;
            });
            if (!numbers.isEmpty()) {
                out.println("TAKEN " + String.join(",", numbers) + " .");
            }
        }
    }
}

package org.example.sluice.stdout;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.sluice.api.channel.AbstractChannel;
import org.sluice.api.channel.AbstractTransaction;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.counter.SinkCounter;
import org.sluice.api.event.Event;
import org.sluice.api.sink.SinkContext;

/**
 * What a plugin's unit tests need from Sluice, built on the API alone: a context whose typed configuration
 * follows the key naming rules for the simple names used here, a transactional in-memory channel and
 * counters in a map. The running agent supplies the real ones.
 */
final class FakeSinkContext implements SinkContext {
    private final Map<String, String> properties;
    private final MemoryChannel channel = new MemoryChannel();
    private final MapCounter counter = new MapCounter();

    FakeSinkContext(Map<String, String> properties) {
        this.properties = Map.copyOf(properties);
    }

    @Override
    public String agentName() {
        return "a1";
    }

    @Override
    public String componentName() {
        return "k1";
    }

    @Override
    public ComponentKind kind() {
        return ComponentKind.SINK;
    }

    @Override
    public Map<String, String> properties() {
        return properties;
    }

    /** Element {@code name()} reads key {@code name}; int, boolean and String elements; else the default. */
    @Override
    public <A> A config(Class<A> type) throws ConfigurationException {
        Map<String, Object> values = new HashMap<>();
        for (Method element : type.getDeclaredMethods()) {
            String raw = properties.get(element.getName());
            if (raw == null) {
                values.put(element.getName(), element.getDefaultValue());
            } else if (element.getReturnType() == int.class) {
                try {
                    values.put(element.getName(), Integer.parseInt(raw.trim()));
                } catch (NumberFormatException e) {
                    throw configurationError(element.getName(), "'" + raw + "' is not a number");
                }
            } else if (element.getReturnType() == boolean.class) {
                values.put(element.getName(), Boolean.parseBoolean(raw.trim()));
            } else {
                values.put(element.getName(), raw);
            }
        }
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> values.get(method.getName())));
    }

    @Override
    public Map<String, String> subProperties(String prefix) {
        Map<String, String> out = new HashMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                out.put(key.substring(prefix.length()), value);
            }
        });
        return out;
    }

    @Override
    public Path dataDirectory() {
        throw new UnsupportedOperationException("this sink keeps no files");
    }

    @Override
    public MemoryChannel channel() {
        return channel;
    }

    @Override
    public MapCounter counter() {
        return counter;
    }

    /** Puts visible on commit, takes returned on rollback: enough of a channel to test a sink. */
    static final class MemoryChannel extends AbstractChannel {
        private final Deque<Event> queue = new ArrayDeque<>();

        synchronized void add(Event event) {
            queue.addLast(event);
        }

        synchronized List<Event> contents() {
            return new ArrayList<>(queue);
        }

        @Override
        protected AbstractTransaction createTransaction() {
            return new AbstractTransaction() {
                private final List<Event> puts = new ArrayList<>();
                private final List<Event> takes = new ArrayList<>();

                @Override
                protected void doPut(Event event) {
                    puts.add(event);
                }

                @Override
                protected Event doTake() {
                    synchronized (MemoryChannel.this) {
                        Event event = queue.pollFirst();
                        if (event != null) {
                            takes.add(event);
                        }
                        return event;
                    }
                }

                @Override
                protected void doCommit() {
                    synchronized (MemoryChannel.this) {
                        queue.addAll(puts);
                    }
                }

                @Override
                protected void doRollback() {
                    synchronized (MemoryChannel.this) {
                        for (int i = takes.size() - 1; i >= 0; i--) {
                            queue.addFirst(takes.get(i));
                        }
                    }
                }
            };
        }
    }

    /** Counters in a map. */
    static final class MapCounter implements SinkCounter {
        private final Map<String, Long> values = new HashMap<>();

        @Override
        public synchronized long add(String name, long delta) {
            return values.merge(name, delta, Long::sum);
        }

        @Override
        public synchronized void set(String name, long value) {
            values.put(name, value);
        }

        @Override
        public synchronized long get(String name) {
            return values.getOrDefault(name, 0L);
        }

        @Override
        public synchronized Map<String, Long> snapshot() {
            return Map.copyOf(values);
        }
    }
}

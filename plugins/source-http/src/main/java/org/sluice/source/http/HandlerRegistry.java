package org.sluice.source.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.sluice.api.source.http.HttpSourceHandlerFactory;

/**
 * The handler factories other bundles provide, by the names they answer to. Every change bumps a generation, so a
 * running source notices that the factory of its handler came, went or was replaced.
 */
final class HandlerRegistry {
    private final Map<String, HttpSourceHandlerFactory> byName = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    void add(Iterable<String> names, HttpSourceHandlerFactory factory) {
        for (String name : names) {
            byName.put(name, factory);
        }
        generation.incrementAndGet();
    }

    void remove(Iterable<String> names, HttpSourceHandlerFactory factory) {
        for (String name : names) {
            byName.remove(name, factory);
        }
        generation.incrementAndGet();
    }

    /** The factory of {@code name}, or null. */
    HttpSourceHandlerFactory find(String name) {
        return byName.get(name);
    }

    long generation() {
        return generation.get();
    }
}

package org.sluice.flume;

import org.apache.flume.NamedComponent;
import org.apache.flume.lifecycle.LifecycleAware;
import org.apache.flume.lifecycle.LifecycleState;

/**
 * What Flume's lifecycle and naming ask of a view of a Sluice component that a Flume plugin is handed (a channel, a
 * group's sink): the platform starts and stops the component, so start and stop do nothing and the view is always
 * started; the name is the one Flume code gives it.
 */
abstract class PlatformOwnedView implements LifecycleAware, NamedComponent {
    private final String kind;
    private String name;

    /** @param kind what the view is, for messages ({@code channel}, {@code sink}) */
    PlatformOwnedView(String kind, String name) {
        this.kind = kind;
        this.name = name;
    }

    @Override
    public void start() {
    }

    @Override
    public void stop() {
    }

    @Override
    public LifecycleState getLifecycleState() {
        return LifecycleState.START;
    }

    @Override
    public void setName(String name) {
        this.name = name;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String toString() {
        return kind + " " + name;
    }
}

package org.sluice.platform.runtime;

import java.util.List;

import org.sluice.api.component.ComponentKind;
import org.sluice.platform.tap.Tap;

/**
 * What an operator does to running agents from the shell: stop and start one component, watch the events passing
 * one, see which bundle provides which types. A service of the runtime, private to the platform bundle.
 */
public interface AgentControl {

    /** The types one bundle provides to the runtime. */
    record ProvidedTypes(String bundle, String version, ComponentKind family, List<String> types) {
    }

    /**
     * Stops a configured component, and what depends on it, until {@link #start} is called; returns when the
     * agent has done so.
     *
     * @return false if the agent has no such component
     */
    boolean stop(String agent, ComponentKind kind, String name) throws InterruptedException;

    /**
     * Lets a component stopped by {@link #stop} run again; returns when the agent has started it (or says why not).
     *
     * @return false if it was not stopped by an operator
     */
    boolean start(String agent, ComponentKind kind, String name) throws InterruptedException;

    /** Opens a tap on a source, channel or sink that takes up to {@code wanted} samples; close it when done. */
    Tap tap(String agent, ComponentKind kind, String name, int wanted);

    /** The types every bundle provides, by bundle and family. */
    List<ProvidedTypes> providedTypes();
}

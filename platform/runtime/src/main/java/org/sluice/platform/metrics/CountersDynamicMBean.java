package org.sluice.platform.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.ReflectionException;

import org.sluice.api.component.ComponentKind;
import org.sluice.api.counter.ChannelCounter;

/**
 * A component's counters as a read-only MBean with Flume's attributes: one {@code long} attribute per counter
 * under its Flume name ({@code EventReceivedCount}, {@code StartTime}, ...), {@code Type} ({@code SOURCE},
 * {@code CHANNEL}, {@code SINK}, ...) and, for a channel, {@code ChannelFillPercentage} as a {@code double}.
 *
 * <p>Values are read from the counters on every call, and so is the attribute list: a counter a component
 * adds while it runs shows up at the next poll, as Flume's HTTP reporter reads the list on every poll too.
 */
final class CountersDynamicMBean implements DynamicMBean {

    static final String TYPE = "Type";

    private final ComponentCounters counters;

    CountersDynamicMBean(ComponentCounters counters) {
        this.counters = counters;
    }

    ComponentCounters counters() {
        return counters;
    }

    private boolean isChannel() {
        return counters.kind() == ComponentKind.CHANNEL;
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        if (TYPE.equals(attribute)) {
            return FlumeMBeanNames.flumeType(counters.kind());
        }
        if (isChannel() && ChannelCounter.CHANNEL_FILL_PERCENTAGE.equals(attribute)) {
            return counters.fillPercentage();
        }
        Long value = counters.snapshot().get(attribute);
        if (value == null) {
            throw new AttributeNotFoundException(attribute + " is not a counter of " + describe());
        }
        return value;
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        AttributeList list = new AttributeList();
        for (String name : attributes) {
            try {
                list.add(new Attribute(name, getAttribute(name)));
            } catch (AttributeNotFoundException e) {
                // DynamicMBean.getAttributes returns the attributes it found and leaves the others out.
                continue;
            }
        }
        return list;
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException(attribute.getName() + " of " + describe() + " is read-only");
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        // Nothing is writable: the list of attributes set is empty.
        return new AttributeList();
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) throws ReflectionException {
        throw new ReflectionException(new NoSuchMethodException(actionName),
                describe() + " has counters only, no operation " + actionName);
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        Map<String, Long> snapshot = counters.snapshot();
        List<MBeanAttributeInfo> attributes = new ArrayList<>(snapshot.size() + 2);
        for (String name : snapshot.keySet()) {
            attributes.add(new MBeanAttributeInfo(name, "long", "Flume counter " + name, true, false, false));
        }
        attributes.add(new MBeanAttributeInfo(TYPE, String.class.getName(), "Flume's component type", true,
                false, false));
        if (isChannel()) {
            attributes.add(new MBeanAttributeInfo(ChannelCounter.CHANNEL_FILL_PERCENTAGE, "double",
                    "ChannelSize over ChannelCapacity, in percent", true, false, false));
        }
        return new MBeanInfo(getClass().getName(), "Counters of " + describe(),
                attributes.toArray(MBeanAttributeInfo[]::new), null, null, null);
    }

    private String describe() {
        return counters.kind() + " " + counters.name() + " of agent " + counters.agent();
    }
}

package org.sluice.flume;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.sluice.api.event.Event;
import org.sluice.api.event.SimpleEvent;

/**
 * Events across the boundary, without copying bodies: a Sluice event handed to Flume code is seen through a view
 * that writes through, and a Flume event handed to Sluice becomes a Sluice event sharing its body and headers.
 * A view coming back to Sluice is unwrapped, so a Sluice event that passes through Flume code stays itself.
 */
final class FlumeEvents {
    private FlumeEvents() {
    }

    static org.apache.flume.Event toFlume(Event event) {
        if (event == null) {
            return null;
        }
        return new SluiceBacked(event);
    }

    /**
     * A Sluice event with the Flume event's body and headers. The result belongs to no plugin: it is a
     * {@link SimpleEvent}, and a header map of a plugin's own class is copied, so events kept in a channel hold no
     * plugin class once the plugin is gone.
     */
    static Event toSluice(org.apache.flume.Event event) {
        if (event == null) {
            return null;
        }
        if (event instanceof SluiceBacked backed) {
            return backed.sluice;
        }
        Map<String, String> headers = event.getHeaders();
        if (headers != null && headers.getClass().getClassLoader() != null) {
            headers = new HashMap<>(headers);
        }
        return new SimpleEvent(event.getBody(), headers);
    }

    static List<org.apache.flume.Event> toFlume(List<Event> events) {
        List<org.apache.flume.Event> out = new ArrayList<>(events.size());
        for (Event event : events) {
            out.add(toFlume(event));
        }
        return out;
    }

    static List<Event> toSluice(List<org.apache.flume.Event> events) {
        List<Event> out = new ArrayList<>(events.size());
        for (org.apache.flume.Event event : events) {
            if (event != null) {
                out.add(toSluice(event));
            }
        }
        return out;
    }

    /** A Sluice event as Flume code sees it: every change goes to the Sluice event. */
    static final class SluiceBacked implements org.apache.flume.Event {
        final Event sluice;

        SluiceBacked(Event sluice) {
            this.sluice = sluice;
        }

        @Override
        public Map<String, String> getHeaders() {
            return sluice.getHeaders();
        }

        @Override
        public void setHeaders(Map<String, String> headers) {
            sluice.setHeaders(headers);
        }

        @Override
        public byte[] getBody() {
            return sluice.getBody();
        }

        @Override
        public void setBody(byte[] body) {
            sluice.setBody(body);
        }

        @Override
        public String toString() {
            return sluice.toString();
        }
    }
}

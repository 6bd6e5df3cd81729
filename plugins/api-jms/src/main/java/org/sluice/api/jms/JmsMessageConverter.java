package org.sluice.api.jms;

import java.util.List;

import javax.jms.JMSException;
import javax.jms.Message;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.event.Event;

/**
 * Turns one received JMS message into the events that go to the channels (Flume's {@code JMSMessageConverter}).
 *
 * <p>Called on the source's polling thread, one message at a time, inside the source's transacted JMS session: the
 * message is acknowledged only when the channels committed every event of its batch. A message the converter cannot
 * turn into events (it throws) is rejected on its own, counted and never offered again; the rest of the batch goes
 * on. Return an empty list to drop a message on purpose.
 */
@ConsumerType
public interface JmsMessageConverter {

    List<Event> convert(Message message) throws JMSException;
}

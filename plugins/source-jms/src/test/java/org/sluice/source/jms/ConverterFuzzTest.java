package org.sluice.source.jms;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.jms.JMSException;
import javax.jms.Message;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.apache.activemq.command.ActiveMQBytesMessage;
import org.apache.activemq.command.ActiveMQMapMessage;
import org.apache.activemq.command.ActiveMQMessage;
import org.apache.activemq.command.ActiveMQObjectMessage;
import org.apache.activemq.command.ActiveMQTextMessage;
import org.sluice.api.event.Event;

/**
 * Coverage-guided fuzz target of what the jms source reads from producers nobody controls: messages of every kind with
 * any properties and bodies, through the default converter under a random maxEventSize. An event within the bound or a
 * rejection of that message is an answer; anything else thrown, or an event beyond the bound, is a finding. The
 * corpus under src/test/resources replays in the default run; {@code JAZZER_FUZZ=1} fuzzes.
 */
class ConverterFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void defaultConverter(FuzzedDataProvider data) throws JMSException {
        int maxEventSize = data.consumeInt(1, 1 << 16);
        Charset charset = data.consumeBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.UTF_16;
        Message message = message(data);
        List<Event> events;
        try {
            events = new DefaultMessageConverter(charset, maxEventSize).convert(message);
        } catch (RejectedMessageException rejected) {
            return;
        }
        if (events.size() != 1) {
            throw new IllegalStateException(events.size() + " events from one message");
        }
        long size = EventSize.of(events);
        if (size > maxEventSize) {
            throw new IllegalStateException("an event of " + size + " bytes passed maxEventSize " + maxEventSize);
        }
    }

    /** A received message as a provider hands it over: properties and body set, then read-only. */
    private static Message message(FuzzedDataProvider data) throws JMSException {
        int kind = data.consumeInt(0, 4);
        ActiveMQMessage message = switch (kind) {
            case 0 -> new ActiveMQTextMessage();
            case 1 -> new ActiveMQBytesMessage();
            case 2 -> new ActiveMQObjectMessage();
            case 3 -> new ActiveMQMapMessage();
            default -> new ActiveMQMessage();
        };
        int properties = data.consumeInt(0, 8);
        for (int i = 0; i < properties; i++) {
            String name = data.consumeString(40);
            try {
                switch (data.consumeInt(0, 3)) {
                    case 0 -> message.setStringProperty(name, data.consumeString(2000));
                    case 1 -> message.setLongProperty(name, data.consumeLong());
                    case 2 -> message.setDoubleProperty(name, data.consumeDouble());
                    default -> message.setBooleanProperty(name, data.consumeBoolean());
                }
            } catch (IllegalArgumentException | JMSException refusedBySender) {
                // A name the client refuses never reaches a broker.
            }
        }
        switch (kind) {
            case 0 -> ((ActiveMQTextMessage) message).setText(data.consumeBoolean() ? null
                    : data.consumeRemainingAsString());
            case 1 -> ((ActiveMQBytesMessage) message).writeBytes(data.consumeRemainingAsBytes());
            case 2 -> ((ActiveMQObjectMessage) message).setObject(data.consumeBoolean() ? null
                    : data.consumeRemainingAsString());
            case 3 -> ((ActiveMQMapMessage) message).setString("k", data.consumeRemainingAsString());
            default -> {
            }
        }
        message.onSend();
        message.setReadOnlyBody(true);
        message.setReadOnlyProperties(true);
        if (message instanceof ActiveMQBytesMessage bytes) {
            bytes.reset();
        }
        return message;
    }
}

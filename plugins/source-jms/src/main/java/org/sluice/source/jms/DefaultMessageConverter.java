package org.sluice.source.jms;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.jms.BytesMessage;
import javax.jms.JMSException;
import javax.jms.Message;
import javax.jms.ObjectMessage;
import javax.jms.TextMessage;

import org.sluice.api.event.Event;
import org.sluice.api.event.SimpleEvent;
import org.sluice.api.jms.JmsMessageConverter;

/**
 * Flume's default conversion: one event per message, each message property a header (its value as
 * {@code getStringProperty} gives it), the JMS header fields left out; the body of a BytesMessage as it is, of a
 * TextMessage encoded in {@code converter.charset}, of an ObjectMessage as Java serialization writes the object;
 * other messages (Map, Stream, plain) give an empty body.
 *
 * <p>Unlike Flume, the event is bounded by {@code maxEventSize}, checked before the body is copied: a larger message
 * is rejected ({@link RejectedMessageException}) instead of being read into memory whole.
 */
final class DefaultMessageConverter implements JmsMessageConverter {

    private final Charset charset;
    private final long maxEventSize;

    DefaultMessageConverter(Charset charset, long maxEventSize) {
        this.charset = charset;
        this.maxEventSize = maxEventSize;
    }

    @Override
    public List<Event> convert(Message message) throws JMSException {
        Map<String, String> headers = new LinkedHashMap<>();
        long size = 0;
        Enumeration<?> names = message.getPropertyNames();
        while (names.hasMoreElements()) {
            String name = String.valueOf(names.nextElement());
            String value = message.getStringProperty(name);
            if (value != null) {
                size += EventSize.utf8Length(name) + EventSize.utf8Length(value);
                if (size > maxEventSize) {
                    throw new RejectedMessageException("its properties exceed maxEventSize (" + maxEventSize
                            + " bytes)");
                }
                headers.put(name, value);
            }
        }
        byte[] body = body(message, maxEventSize - size);
        return List.of(new SimpleEvent(body, headers));
    }

    private byte[] body(Message message, long room) throws JMSException {
        if (message instanceof BytesMessage bytes) {
            long length = bytes.getBodyLength();
            if (length > room) {
                throw tooLarge(length);
            }
            byte[] body = new byte[(int) length];
            if (length > 0) {
                int read = bytes.readBytes(body);
                if (read != length) {
                    throw new JMSException("read " + read + " of the " + length + " bytes of a BytesMessage");
                }
            }
            return body;
        }
        if (message instanceof TextMessage text) {
            String value = text.getText();
            if (value == null) {
                return new byte[0];
            }
            if (value.length() > room) {
                throw tooLarge(value.length());
            }
            byte[] body = value.getBytes(charset);
            if (body.length > room) {
                throw tooLarge(body.length);
            }
            return body;
        }
        if (message instanceof ObjectMessage object) {
            // Deserialized by the provider under its own allow-list; a class it refuses or cannot load throws here.
            java.io.Serializable value = object.getObject();
            if (value == null) {
                return new byte[0];
            }
            BoundedBytes out = new BoundedBytes(room);
            try (ObjectOutputStream stream = new ObjectOutputStream(out)) {
                stream.writeObject(value);
            } catch (IOException e) {
                if (out.exceeded) {
                    throw tooLarge(out.written);
                }
                throw new RejectedMessageException("its object could not be serialized: " + e);
            }
            return out.toByteArray();
        }
        return new byte[0];
    }

    private RejectedMessageException tooLarge(long length) {
        return new RejectedMessageException("its event would be larger than maxEventSize (" + maxEventSize
                + " bytes): a body of " + length + (length == 1 ? " byte" : " bytes") + " or more");
    }

    /** A byte buffer that refuses to grow past its bound. */
    private static final class BoundedBytes extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final long bound;
        private long written;
        private boolean exceeded;

        BoundedBytes(long bound) {
            this.bound = bound;
        }

        @Override
        public void write(int b) throws IOException {
            room(1);
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            room(len);
            bytes.write(b, off, len);
        }

        private void room(int len) throws IOException {
            written += len;
            if (written > bound) {
                exceeded = true;
                throw new IOException("bound exceeded");
            }
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }
}

package org.sluice.platform.shell;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.sluice.api.component.ComponentKind;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.runtime.AgentControl;
import org.sluice.platform.tap.Tap;
import org.sluice.platform.tap.TapSample;
import org.sluice.support.guard.UntrustedText;

/**
 * {@code sluice:tap <component> [n] [seconds]}: prints, as they pass, up to n events (default
 * {@value #DEFAULT_EVENTS}) of a source (after its interceptors, once its required channels took them), a channel
 * (put and take) or a sink (take), for at most the given seconds (default {@value #DEFAULT_SECONDS}). Each line has
 * the time, the point, the headers and the start of the body, escaped as log lines escape untrusted text: whatever a
 * client sent cannot drive the operator's terminal. Delivery is unchanged; a tap only copies what it shows, and what
 * passes while the terminal is behind is counted, not waited for.
 */
@Component(service = TapCommand.class, property = {
    "osgi.command.scope=sluice",
    "osgi.command.function=tap"
})
public final class TapCommand {
    static final int DEFAULT_EVENTS = 10;
    static final int DEFAULT_SECONDS = 60;
    /** Characters of a body shown; bodies are cut at {@link Tap#PREVIEW_BYTES} bytes before that. */
    static final int BODY_CHARS = 200;
    static final int HEADER_CHARS = 100;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private final AgentRuntime runtime;
    private final AgentControl control;
    /** Gogo gives each session's thread its own System.out: a command's output goes to that session. */
    private final Supplier<PrintStream> out;

    @Activate
    public TapCommand(@Reference AgentRuntime runtime, @Reference AgentControl control) {
        this(runtime, control, () -> System.out);
    }

    TapCommand(AgentRuntime runtime, AgentControl control, Supplier<PrintStream> out) {
        this.runtime = runtime;
        this.control = control;
        this.out = out;
    }

    /** {@code sluice:tap <component>}. */
    public String tap(String reference) throws InterruptedException {
        return tap(reference, DEFAULT_EVENTS, DEFAULT_SECONDS);
    }

    /** {@code sluice:tap <component> <n>}. */
    public String tap(String reference, int events) throws InterruptedException {
        return tap(reference, events, DEFAULT_SECONDS);
    }

    /** {@code sluice:tap <component> <n> <seconds>}. */
    public String tap(String reference, int events, int seconds) throws InterruptedException {
        if (events < 1 || seconds < 1) {
            return "Usage: sluice:tap <component> [events (1 or more, default " + DEFAULT_EVENTS + ")] [seconds (1 or"
                    + " more, default " + DEFAULT_SECONDS + ")]";
        }
        ComponentRef component = ComponentRef.resolve(runtime, reference);
        if (component.kind() == ComponentKind.SINKGROUP) {
            return "A sink group has no events of its own: tap one of its sinks";
        }
        PrintStream print = out.get();
        int shown = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try (Tap tap = control.tap(component.agent(), component.kind(), component.name(), events)) {
            print.println("Tapping " + component + ": up to " + events + " events, for up to " + seconds + " s");
            print.flush();
            while (shown < events) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TapSample sample = tap.next(Math.min(left, TimeUnit.MILLISECONDS.toNanos(500)), TimeUnit.NANOSECONDS);
                if (sample == null) {
                    // A watcher that went away (the session's socket closed) ends the tap here.
                    if (print.checkError()) {
                        break;
                    }
                    continue;
                }
                print.println(line(sample));
                print.flush();
                shown++;
            }
            return "Tap of " + component + " ended: " + shown + " shown, " + tap.seen() + " passed, " + tap.dropped()
                    + " not shown while the terminal was behind";
        }
    }

    /** One sample as one line: time, point, headers (sorted), body preview. */
    static String line(TapSample sample) {
        StringBuilder line = new StringBuilder();
        line.append(TIME.format(Instant.ofEpochMilli(sample.millis()))).append(' ')
                .append(String.format("%-5s", sample.point())).append(" headers={");
        Map<String, String> headers = new TreeMap<>(sample.headers());
        boolean first = true;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            line.append(first ? "" : ", ").append(UntrustedText.forLog(header.getKey(), HEADER_CHARS)).append('=')
                    .append(UntrustedText.forLog(header.getValue(), HEADER_CHARS));
            first = false;
        }
        line.append("} body[").append(sample.bodyLength()).append("]=\"");
        String body = text(sample.bodyLength() > sample.bodyPreview().length ? withoutPartialCharacter(
                sample.bodyPreview()) : sample.bodyPreview());
        line.append(UntrustedText.forLog(body, BODY_CHARS)).append('"');
        if (sample.bodyLength() > sample.bodyPreview().length && body.length() <= BODY_CHARS) {
            line.append("...");
        }
        return line.toString();
    }

    /** A preview cut inside a UTF-8 character, without that character's first bytes. */
    static byte[] withoutPartialCharacter(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0 && i >= bytes.length - 4; i--) {
            int b = bytes[i] & 0xff;
            if ((b & 0xc0) == 0x80) {
                continue;
            }
            int length = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
            return i + length > bytes.length ? java.util.Arrays.copyOf(bytes, i) : bytes;
        }
        return bytes;
    }

    /** The preview as text: UTF-8 where it is, else each byte as a character (binary bodies stay readable). */
    private static String text(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            // Cut inside a character, or not text: Latin-1 shows every byte, and the escaping makes it safe.
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }
}

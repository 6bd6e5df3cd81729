package org.sluice.source.http;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.servlet.http.HttpServletRequest;

import org.apache.flume.source.http.JSONHandler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.sluice.api.event.Event;
import org.sluice.support.guard.DecodeBudget;

/**
 * One http request body, a JSONHandler array of {@code events} events of {@code bodyBytes} bytes with two headers
 * (a host shared by all, a sequence number of each: the benchmark harness's http load), made into events:
 * <ul>
 * <li>{@code sluice}: Sluice's JSON handler as the source runs it (the body copied into an array of its own, then its
 * fast path, {@link StrictJsonEvents});</li>
 * <li>{@code sluiceJackson}: the same body through the handler's Jackson path alone (what every body took before the
 * fast path, and what a body in Flume's lenient forms still takes);</li>
 * <li>{@code flume}: Apache Flume 1.11.0's JSONHandler (Gson into a list of JSON events, each body then encoded).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HttpJsonHandlerBenchmark {
    /** Events in the request. */
    @Param({"100"})
    public int events;

    /** Bytes of each event's body. */
    @Param({"500"})
    public int bodyBytes;

    private byte[] body;
    /** The request thread's array the source reads each body into (reused from request to request). */
    private byte[] requestArray;
    private JsonHandler sluice;
    private JSONHandler flume;

    @Setup
    public void setUp() {
        StringBuilder json = new StringBuilder("[");
        String text = "x".repeat(bodyBytes);
        for (int i = 0; i < events; i++) {
            json.append(i == 0 ? "" : ",").append("{\"headers\":{\"host\":\"bench-host\",\"seq\":\"").append(i)
                    .append("\"},\"body\":\"").append(text).append("\"}");
        }
        body = json.append(']').toString().getBytes(StandardCharsets.UTF_8);
        requestArray = new byte[body.length];
        sluice = new JsonHandler(64L * 1024 * 1024, 100_000);
        flume = new JSONHandler();
    }

    @Benchmark
    public List<Event> sluice() throws Exception {
        // The source copies each request into its thread's array first: the copy is part of the cost.
        System.arraycopy(body, 0, requestArray, 0, body.length);
        return sluice.read(requestArray, body.length, StandardCharsets.UTF_8, body.length);
    }

    @Benchmark
    public List<Event> sluiceJackson() throws Exception {
        return sluice.readWithJackson(body, body.length, StandardCharsets.UTF_8,
                DecodeBudget.forRequest("http request", 100_000, body.length));
    }

    @Benchmark
    public List<org.apache.flume.Event> flume() throws Exception {
        byte[] bytes = body;
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(
                HttpJsonHandlerBenchmark.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getReader" -> new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes),
                            StandardCharsets.UTF_8));
                    case "getCharacterEncoding" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return flume.getEvents(request);
    }
}

package org.sluice.itests.httphandler;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.SluiceType;
import org.sluice.api.event.Event;
import org.sluice.api.event.SimpleEvent;
import org.sluice.api.source.SourceContext;
import org.sluice.api.source.http.BadRequestException;
import org.sluice.api.source.http.HttpSourceHandler;
import org.sluice.api.source.http.HttpSourceHandlerFactory;

/**
 * The handler the User Guide's http example names, {@code org.example.rest.RestHandler}: one event per line of the
 * body, each with the source's {@code handler.*} keys as headers. An empty body is a bad request.
 */
@Component(service = HttpSourceHandlerFactory.class)
@SluiceType("org.example.rest.RestHandler")
public class LinesHandlerFactory implements HttpSourceHandlerFactory {

    @Override
    public HttpSourceHandler create(SourceContext source) {
        Map<String, String> headers = Map.copyOf(source.subProperties("handler."));
        return request -> {
            Charset charset = request.charset() == null ? StandardCharsets.UTF_8 : request.charset();
            List<Event> events = new ArrayList<>();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(request.body(), charset))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    events.add(new SimpleEvent(line.getBytes(StandardCharsets.UTF_8), new HashMap<>(headers)));
                }
            }
            if (events.isEmpty()) {
                throw new BadRequestException("the body has no line");
            }
            return events;
        };
    }
}

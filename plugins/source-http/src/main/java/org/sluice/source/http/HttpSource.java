package org.sluice.source.http;

import java.io.IOException;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.source.EventDrivenSource;
import org.sluice.api.source.SourceContext;
import org.sluice.api.source.http.HttpSourceHandler;
import org.sluice.api.source.http.HttpSourceHandlerFactory;
import org.sluice.support.tls.ClientAuth;
import org.sluice.support.tls.Tls;

/**
 * Flume's {@code http} source on an embedded Jetty: requests go to {@link EventsHandler}. Flume's Jetty keys
 * ({@code QueuedThreadPool.*}, {@code HttpConfiguration.*}, {@code SslContextFactory.*}, {@code ServerConnector.*})
 * are set on the same Jetty objects, so a Flume file's tuning applies unchanged.
 */
final class HttpSource implements EventDrivenSource {
    static final String THREAD_POOL = "QueuedThreadPool.";
    static final String HTTP_CONFIGURATION = "HttpConfiguration.";
    static final String SSL_CONTEXT_FACTORY = "SslContextFactory.";
    static final String SERVER_CONNECTOR = "ServerConnector.";
    private static final long STOP_TIMEOUT_MILLIS = 5000;
    /**
     * Jetty's buffer for reading a connection, unless {@code HttpConfiguration.inputBufferSize} says otherwise. Jetty's
     * 8 KiB took seven reads (system calls, and parser and content passes) for a 56 KB batch of 100 events; at 64 KiB
     * such a batch comes in one or two. A buffer is taken from Jetty's pool (64 KiB is the largest it keeps) only while
     * a request is being read, so idle connections hold none.
     */
    static final int INPUT_BUFFER_SIZE = 64 * 1024;

    /** How the source finds its handler: built in, or a factory another bundle registered (by name). */
    record HandlerSource(String name, HttpSourceHandler builtIn, HandlerRegistry registry) {
    }

    private final SourceContext context;
    private final String bind;
    private final int port;
    private final Tls tls;
    private final HandlerSource handlerSource;
    private final EventsHandler.Settings settings;
    private final Logger log;
    private Server server;
    private ServerConnector connector;
    private volatile ResolvedHandler resolved;

    /** A handler made by a registered factory, with the registry generation it was made in. */
    private record ResolvedHandler(long generation, HttpSourceHandler handler) {
    }

    HttpSource(SourceContext context, String bind, int port, Tls tls, HandlerSource handlerSource,
            EventsHandler.Settings settings) {
        this.context = context;
        this.bind = bind;
        this.port = port;
        this.tls = tls;
        this.handlerSource = handlerSource;
        this.settings = settings;
        this.log = settings.log();
    }

    @Override
    public void start() throws IOException, ConfigurationException {
        if (handlerSource.builtIn() == null && currentHandler() == null) {
            throw new IOException("http source " + context.componentName() + " waits for its handler: no installed "
                    + "bundle provides http handler '" + handlerSource.name() + "' (key 'handler')");
        }
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("http-" + context.componentName());
        threads.setDaemon(true);
        BeanSettings.apply(context, THREAD_POOL, threads);
        Server jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setInputBufferSize(INPUT_BUFFER_SIZE);
        BeanSettings.apply(context, HTTP_CONFIGURATION, http);
        HttpConnectionFactory plain = new HttpConnectionFactory(http);
        ServerConnector serverConnector;
        if (tls != null) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            BeanSettings.apply(context, SSL_CONTEXT_FACTORY, ssl);
            // Flume's named keys take precedence over SslContextFactory.* ones.
            ssl.setSslContext(tls.sslContext());
            ssl.setIncludeProtocols(tls.protocols().toArray(String[]::new));
            ssl.setIncludeCipherSuites(tls.cipherSuites().toArray(String[]::new));
            ssl.setExcludeProtocols();
            ssl.setExcludeCipherSuites();
            ssl.setNeedClientAuth(tls.clientAuth() == ClientAuth.REQUIRED);
            ssl.setWantClientAuth(tls.clientAuth() == ClientAuth.OPTIONAL);
            serverConnector = new ServerConnector(jetty, new SslConnectionFactory(ssl, plain.getProtocol()), plain);
        } else {
            serverConnector = new ServerConnector(jetty, plain);
        }
        serverConnector.setHost(bind.isEmpty() ? null : bind);
        serverConnector.setPort(port);
        serverConnector.setReuseAddress(true);
        BeanSettings.apply(context, SERVER_CONNECTOR, serverConnector);
        jetty.addConnector(serverConnector);
        jetty.setHandler(new EventsHandler(settings, this::currentHandler));
        jetty.setStopTimeout(STOP_TIMEOUT_MILLIS);
        try {
            jetty.start();
        } catch (Exception e) {
            stopQuietly(jetty);
            throw new IOException("http source " + context.componentName() + " could not listen on "
                    + (bind.isEmpty() ? "*" : bind) + ":" + port + ": " + e.getMessage(), e);
        }
        server = jetty;
        connector = serverConnector;
        log.info("Http source {} listening on {}:{} ({}), handler {}", context.componentName(),
                bind.isEmpty() ? "*" : bind, connector.getLocalPort(), tls == null ? "http" : "https",
                handlerSource.name());
    }

    /** The handler for a request now: the built-in one, or one made by the registered factory of its name. */
    private HttpSourceHandler currentHandler() {
        if (handlerSource.builtIn() != null) {
            return handlerSource.builtIn();
        }
        HandlerRegistry registry = handlerSource.registry();
        long generation = registry.generation();
        ResolvedHandler current = resolved;
        if (current != null && current.generation() == generation) {
            return current.handler();
        }
        HttpSourceHandlerFactory factory = registry.find(handlerSource.name());
        HttpSourceHandler handler = null;
        if (factory != null) {
            try {
                handler = factory.create(context);
            } catch (ConfigurationException | RuntimeException e) {
                log.error("Http source {}: handler '{}' could not be made; requests are answered 503",
                        context.componentName(), handlerSource.name(), e);
            }
        }
        resolved = new ResolvedHandler(generation, handler);
        return handler;
    }

    /** The port listened on (the chosen one for port 0). */
    int localPort() {
        return connector.getLocalPort();
    }

    @Override
    public void stop() {
        if (server != null) {
            stopQuietly(server);
            server = null;
        }
        log.info("Http source {} stopped", context.componentName());
    }

    private void stopQuietly(Server jetty) {
        try {
            jetty.stop();
        } catch (Exception e) {
            log.warn("Http source {}: stopping Jetty failed", context.componentName(), e);
        }
    }

    @Override
    public String toString() {
        return "http source " + context.componentName() + " on " + (bind.isEmpty() ? "*" : bind) + ":" + port;
    }
}

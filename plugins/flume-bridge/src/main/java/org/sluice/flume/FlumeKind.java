package org.sluice.flume;

import java.util.Locale;
import java.util.function.BiFunction;

import org.sluice.api.channel.ChannelFactory;
import org.sluice.api.format.EventDeserializerFactory;
import org.sluice.api.format.EventSerializerFactory;
import org.sluice.api.interceptor.HeaderValueSerializerFactory;
import org.sluice.api.interceptor.InterceptorFactory;
import org.sluice.api.monitor.MonitorServiceFactory;
import org.sluice.api.selector.ChannelSelectorFactory;
import org.sluice.api.sink.SinkFactory;
import org.sluice.api.sink.SinkProcessorFactory;
import org.sluice.api.sink.SinkSelectorFactory;
import org.sluice.api.source.SourceFactory;

/**
 * The kinds of Flume class a configuration names, each with the Flume type a class must be to be one, and the Sluice
 * service it is offered under: the seven component kinds the platform's runtime looks up, the monitoring service
 * ({@code flume.monitoring.type}), which the platform's monitoring looks up by the same {@code sluice.type} rule, and
 * the named parts inside components (serializers, deserializers), which a component looks up through its context.
 */
enum FlumeKind {
    SOURCE("org.apache.flume.Source", SourceFactory.class, FlumeSourceFactory::new),
    SINK("org.apache.flume.Sink", SinkFactory.class, FlumeSinkFactory::new),
    CHANNEL("org.apache.flume.Channel", ChannelFactory.class, FlumeChannelFactory::new),
    INTERCEPTOR("org.apache.flume.interceptor.Interceptor$Builder", InterceptorFactory.class,
            FlumeInterceptorFactory::new),
    CHANNEL_SELECTOR("org.apache.flume.ChannelSelector", ChannelSelectorFactory.class,
            FlumeChannelSelectorFactory::new),
    SINK_PROCESSOR("org.apache.flume.SinkProcessor", SinkProcessorFactory.class, FlumeSinkProcessorFactory::new),
    SINK_SELECTOR("org.apache.flume.sink.LoadBalancingSinkProcessor$SinkSelector", SinkSelectorFactory.class,
            FlumeSinkSelectorFactory::new),
    /** A monitoring service ({@code flume.monitoring.type}). */
    MONITOR("org.apache.flume.instrumentation.MonitorService", MonitorServiceFactory.class, FlumeMonitorServices::new),
    /** The serializer of file_roll and hdfs ({@code sink.serializer}, {@code serializer}). */
    SERIALIZER("org.apache.flume.serialization.EventSerializer$Builder", EventSerializerFactory.class,
            FlumeSerializers::new),
    /** The deserializer of spooldir ({@code deserializer}). */
    DESERIALIZER("org.apache.flume.serialization.EventDeserializer$Builder", EventDeserializerFactory.class,
            FlumeDeserializers::new),
    /** The serializers of regex_extractor ({@code serializers.<s>.type}). */
    HEADER_SERIALIZER("org.apache.flume.interceptor.RegexExtractorInterceptorSerializer",
            HeaderValueSerializerFactory.class, FlumeHeaderSerializers::new);

    /** The Flume interface (binary name) a class of this kind implements. */
    final String flumeType;
    final Class<?> service;
    private final BiFunction<PluginClasses, String, Object> factory;

    FlumeKind(String flumeType, Class<?> service, BiFunction<PluginClasses, String, Object> factory) {
        this.flumeType = flumeType;
        this.service = service;
        this.factory = factory;
    }

    /** The factory service for one class of a plugin bundle. */
    Object factory(PluginClasses plugin, String className) {
        return factory.apply(plugin, className);
    }

    /** The word of the manifest header ({@code sink}, {@code channel-selector}). */
    String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static FlumeKind ofWord(String word) {
        for (FlumeKind kind : values()) {
            if (kind.word().equals(word)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("no Flume component kind '" + word + "'");
    }
}

package org.sluice.api.component;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The type names a factory answers to, published as the service property {@value ComponentFactory#TYPE}.
 * Put it on a DS factory component beside {@code @Component}: the Flume alias first ({@code "memory"}),
 * then Flume's class name ({@code "org.apache.flume.channel.MemoryChannel"}) so configurations that name
 * the class keep working, then the plugin's own class name.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface SluiceType {
    String[] value();
}

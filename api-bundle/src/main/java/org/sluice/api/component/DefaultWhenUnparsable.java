package org.sluice.api.component;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A key of a configuration type whose value, when it does not convert to the element's type, is replaced by the
 * element's default with a warning instead of failing the component: Flume's tolerance for this key (a memory
 * channel's {@code capacity = lots} runs with capacity 100 in Flume). Without it, such a value is an error naming
 * the key. {@code validate} reports it as the same warning.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface DefaultWhenUnparsable {
}

package org.sluice.api.component;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The values a numeric key of a configuration type may take, checked by the platform before the component is
 * created, the same way when {@code validate} checks a file and in the API test kit's contexts (all by
 * {@link ConfigurationRules}): a value outside is an error naming the key, or, with
 * {@link #fallBack()}, a warning and the element's default, where Flume falls back so (a memory channel's
 * {@code capacity = -1} runs with capacity 100 in Flume).
 *
 * <p>This annotation is where a key's bounds are written: a check of the same bound in the factory's
 * {@code create} would be the agent's alone, never reported by {@code validate}, which does not create components.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Range {
    /** The smallest value allowed. */
    long min() default Long.MIN_VALUE;

    /** The largest value allowed. */
    long max() default Long.MAX_VALUE;

    /** Whether a value outside takes the element's default with a warning, as Flume does for this key. */
    boolean fallBack() default false;
}

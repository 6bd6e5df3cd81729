package org.sluice.api.component;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a configuration type ({@link ComponentFactory#configurationType()}): the component also accepts the keys of
 * these annotation types, which several components share and a support library declares once (the TLS keys of
 * every TLS source and sink, for one). Annotation types cannot extend one another; this is how one says "and
 * these keys too". The platform treats an included key as one the type declares: it converts and checks its value
 * (with its {@link Range} and {@link DefaultWhenUnparsable}) before creating the component, {@code validate}
 * reports it the same way, and it is never reported as unknown. Included types may include others.
 *
 * <p>The factory's typed view ({@link ComponentContext#config(Class)}) has only the type's own elements; the code
 * that reads the included keys asks for the included type's view.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface IncludeKeys {
    /** The annotation types whose keys this configuration type accepts too. */
    Class<?>[] value();
}

package org.sluice.api.testkit;

import java.util.List;
import java.util.Map;

import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.ConfigurationRules;

/**
 * {@link org.sluice.api.component.ComponentContext#config(Class)} for tests that run without the platform, by the
 * same rules the agent applies, the API's {@link ConfigurationRules}: an element names its key as OSGi component
 * property types do ({@code sink_directory()} reads {@code sink.directory}, {@code keep$_$alive()} reads
 * {@code keep-alive}); a value is converted to the element's type, checked against its
 * {@link org.sluice.api.component.Range} and, where the type says Flume does so
 * ({@link org.sluice.api.component.Range#fallBack()}, {@link org.sluice.api.component.DefaultWhenUnparsable}),
 * replaced by the default; the keys of included types ({@link org.sluice.api.component.IncludeKeys}) are checked
 * as the type's own. A value the agent refuses throws {@link ConfigurationException} naming the key, here as there.
 * Only what the platform adds is missing: no value is redacted, and the warnings are not logged but returned by
 * {@link #warnings}.
 */
public final class TypedView {

    private TypedView() {
    }

    /** The typed view of {@code properties} through annotation type {@code type}, for component {@code component} of {@code agent}. */
    public static <A> A of(Class<A> type, Map<String, String> properties, String agent, String component)
            throws ConfigurationException {
        return ConfigurationRules.read(type, properties, agent, component, ConfigurationRules.AS_CONFIGURED).view();
    }

    /**
     * The values the agent would replace by their element's default, with a warning, each naming its key: how a
     * test checks that a component keeps Flume's tolerance.
     */
    public static List<ConfigurationException> warnings(Class<?> type, Map<String, String> properties, String agent,
            String component) {
        return ConfigurationRules.read(type, properties, agent, component, ConfigurationRules.AS_CONFIGURED)
                .warnings();
    }

    /** The key an annotation element reads. */
    public static String keyOf(String elementName) {
        return ConfigurationRules.keyOf(elementName);
    }
}

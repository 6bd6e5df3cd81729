package org.sluice.source.jms;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;

/**
 * What the source lets JNDI reach. A JNDI name with a URL scheme ({@code ldap://host/x}) makes
 * {@code InitialContext.lookup} contact that server and build whatever object it returns, whatever the configured
 * factory: the JNDI-injection hole Flume 1.11 closed. As in Flume, such names are refused unless their scheme is
 * listed in the system property {@value #ALLOWED_PROPERTY} (comma separated; {@code java} is always allowed).
 *
 * <p>Flume also applies that rule to {@code providerURL}, so its own User Guide example ({@code tcp://mqserver:61616})
 * fails unless {@code -DJndiAllowedProtocols=tcp} is given. A provider URL only reaches a server through the JDK's
 * own naming providers (LDAP, RMI, CORBA, DNS); every other URL is the JMS provider's broker address. So Sluice
 * refuses exactly those naming schemes in {@code providerURL} unless allowed, and lets broker URLs through.
 */
final class JndiNames {
    static final String ALLOWED_PROPERTY = "JndiAllowedProtocols";

    /** The URL schemes of the JDK's naming providers, which fetch objects from the server named. */
    private static final Set<String> NAMING_SCHEMES = Set.of("ldap", "ldaps", "rmi", "iiop", "iiopname",
            "corbaname", "dns");

    private final Set<String> allowed;

    private JndiNames(Set<String> allowed) {
        this.allowed = allowed;
    }

    static JndiNames fromSystemProperties() {
        return of(System.getProperty(ALLOWED_PROPERTY));
    }

    static JndiNames of(String allowedList) {
        Set<String> allowed = new LinkedHashSet<>();
        allowed.add("java");
        if (allowedList != null) {
            for (String scheme : allowedList.split(",")) {
                if (!scheme.isBlank()) {
                    allowed.add(scheme.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        return new JndiNames(allowed);
    }

    /** A name looked up in JNDI: no URL scheme unless allowed. */
    void checkName(ComponentContext context, String key, String name) throws ConfigurationException {
        String scheme = scheme(name);
        if (scheme != null && !allowed.contains(scheme)) {
            throw context.configurationError(key, "the JNDI name '" + name + "' is a " + scheme + ": URL, which "
                    + "JNDI would resolve on that server; list the scheme in -D" + ALLOWED_PROPERTY
                    + " to allow it");
        }
    }

    /** The provider URL: none of the JDK's naming schemes unless allowed. */
    void checkProviderUrl(ComponentContext context, String key, String url) throws ConfigurationException {
        String scheme = scheme(url);
        if (scheme != null && NAMING_SCHEMES.contains(scheme) && !allowed.contains(scheme)) {
            throw context.configurationError(key, "a " + scheme + ": provider URL makes JNDI build objects from "
                    + "that server; list the scheme in -D" + ALLOWED_PROPERTY + " to allow it");
        }
    }

    private static String scheme(String value) {
        try {
            String scheme = new URI(value).getScheme();
            return scheme == null ? null : scheme.toLowerCase(Locale.ROOT);
        } catch (URISyntaxException e) {
            // Not a URI (a name with spaces, say): JNDI parses it as a composite name, with no scheme either.
            int colon = value.indexOf(':');
            String head = colon > 0 ? value.substring(0, colon) : "";
            return head.matches("[A-Za-z][A-Za-z0-9+.-]*") ? head.toLowerCase(Locale.ROOT) : null;
        }
    }
}

package org.sluice.platform.config;

import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The TLS of configuration sources read over HTTPS: the JVM's default context, whose key and trust stores are
 * the agent's {@code javax.net.ssl.*} settings (the launcher copies Flume's {@code FLUME_SSL_*} variables into
 * them, as Flume does), with the protocols and cipher suites narrowed by the agent's {@code flume.ssl.include.*}
 * and {@code flume.ssl.exclude.*} (or their {@code FLUME_SSL_*} variables), as for every TLS component. SSLv3 is
 * never used.
 *
 * <p>The platform cannot compile in the plugins' TLS library ({@code plugins/support-tls}: its tests run on the
 * platform's test kit, which would make a build cycle), so the rule is applied here with the JDK's own types;
 * it is the library's rule: with an include list, the supported names it lists; without, the defaults; less
 * the excluded names, in any case.
 */
final class ConfigTls {

    private ConfigTls() {
    }

    /** The context: the JVM's default one. */
    static SSLContext context() throws NoSuchAlgorithmException {
        return SSLContext.getDefault();
    }

    /**
     * The parameters of a connection, from the agent's settings.
     *
     * @param property a system (framework) property by name
     * @param variable an environment variable by name, read where the property is not set
     */
    static SSLParameters parameters(SSLContext context, UnaryOperator<String> property,
            UnaryOperator<String> variable) {
        SSLParameters defaults = context.getDefaultSSLParameters();
        SSLParameters supported = context.getSupportedSSLParameters();
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(choose(defaults.getProtocols(), supported.getProtocols(),
                setting("flume.ssl.include.protocols", "FLUME_SSL_INCLUDE_PROTOCOLS", property, variable),
                setting("flume.ssl.exclude.protocols", "FLUME_SSL_EXCLUDE_PROTOCOLS", property, variable) + ",SSLv3"));
        parameters.setCipherSuites(choose(defaults.getCipherSuites(), supported.getCipherSuites(),
                setting("flume.ssl.include.cipherSuites", "FLUME_SSL_INCLUDE_CIPHERSUITES", property, variable),
                setting("flume.ssl.exclude.cipherSuites", "FLUME_SSL_EXCLUDE_CIPHERSUITES", property, variable)));
        return parameters;
    }

    private static String setting(String name, String environmentName, UnaryOperator<String> property,
            UnaryOperator<String> variable) {
        String value = property.apply(name);
        if (value == null) {
            value = variable.apply(environmentName);
        }
        return value == null ? "" : value;
    }

    private static String[] choose(String[] defaults, String[] supported, String include, String exclude) {
        Set<String> included = names(include);
        Set<String> excluded = names(exclude);
        String[] candidates = included.isEmpty() ? defaults : supported;
        return Arrays.stream(candidates)
                .filter(name -> included.isEmpty() || included.contains(name.toLowerCase(Locale.ROOT)))
                .filter(name -> !excluded.contains(name.toLowerCase(Locale.ROOT)))
                .toArray(String[]::new);
    }

    private static Set<String> names(String list) {
        return Arrays.stream(list.split("[\\s,]+")).map(String::trim).filter(name -> !name.isEmpty())
                .map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }
}

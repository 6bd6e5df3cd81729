package org.sluice.rpc.thrift;

import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.security.auth.login.LoginException;

import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;

/**
 * A Thrift component's Kerberos principal and keytab, as its Flume keys name them, checked when the component is made;
 * the login itself (which asks the KDC) happens at start, with an error that names the same keys.
 */
record KerberosSettings(String principalKey, String principal, String keytabKey, String keytab) {

    static KerberosSettings of(ComponentContext context, String principalKey, String principal, String keytabKey,
            String keytab) throws ConfigurationException {
        String resolved;
        try {
            resolved = KerberosLogin.resolve(principal.trim());
        } catch (UnknownHostException e) {
            throw context.configurationError(principalKey, "_HOST: this machine's name cannot be resolved: "
                    + e.getMessage());
        }
        if (resolved.isEmpty()) {
            throw context.configurationError(principalKey, "kerberos = true needs a principal");
        }
        if (KerberosLogin.serviceAndHost(resolved) == null) {
            throw context.configurationError(principalKey, "'" + resolved + "' is not of the form service/host@REALM");
        }
        if (keytab.isBlank()) {
            throw context.configurationError(keytabKey, "kerberos = true needs a keytab");
        }
        if (!Files.isReadable(Path.of(keytab.trim()))) {
            throw context.configurationError(keytabKey, "cannot read the keytab " + keytab.trim());
        }
        return new KerberosSettings(principalKey, resolved, keytabKey, keytab.trim());
    }

    /** Logs in; a refusal names the keys, the principal and the KDC's answer. */
    KerberosLogin login(String component) {
        try {
            return KerberosLogin.of(principal, keytab);
        } catch (LoginException e) {
            throw new IllegalStateException(component + ": Kerberos login as " + principal + " (" + principalKey
                    + ") from " + keytab + " (" + keytabKey + ") failed: " + e.getMessage(), e);
        }
    }
}

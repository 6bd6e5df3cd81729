package org.sluice.rpc.thrift;

import java.util.Map;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.AuthorizeCallback;
import javax.security.sasl.Sasl;

import org.apache.thrift.transport.TSaslClientTransport;
import org.apache.thrift.transport.TSaslServerTransport;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.TTransportFactory;

/**
 * Flume's Kerberos hop: Thrift's SASL transport with the GSSAPI mechanism and the "auth" quality of protection
 * (authentication only; the frames are not wrapped), on a plain or TLS socket, in place of the framed transport. The
 * server's service and host are those of its principal ({@code service/host@REALM}).
 */
final class KerberosTransports {
    private static final Map<String, String> AUTHENTICATION_ONLY = Map.of(Sasl.QOP, "auth");

    private KerberosTransports() {
    }

    /** The source's side: each connection's SASL handshake runs as the source's principal. */
    static TTransportFactory server(KerberosLogin login) {
        String[] serviceAndHost = KerberosLogin.serviceAndHost(login.principal());
        TSaslServerTransport.Factory sasl = new TSaslServerTransport.Factory();
        sasl.addServerDefinition("GSSAPI", serviceAndHost[0], serviceAndHost[1], AUTHENTICATION_ONLY,
                KerberosTransports::authorizeSelf);
        return new TTransportFactory() {
            @Override
            public TTransport getTransport(TTransport base) throws TTransportException {
                try {
                    return login.run(() -> sasl.getTransport(base));
                } catch (TTransportException e) {
                    throw e;
                } catch (Exception e) {
                    throw new TTransportException("Kerberos handshake failed", e);
                }
            }
        };
    }

    /** The sink's side: an open SASL transport to a source whose principal is {@code serverPrincipal}. */
    static TTransport client(KerberosLogin login, String serverPrincipal, TTransport socket) throws Exception {
        String[] serviceAndHost = KerberosLogin.serviceAndHost(serverPrincipal);
        TSaslClientTransport sasl = new TSaslClientTransport("GSSAPI", null, serviceAndHost[0], serviceAndHost[1],
                AUTHENTICATION_ONLY, null, socket);
        login.run(() -> {
            sasl.open();
            return null;
        });
        return sasl;
    }

    /** A client acts as the principal it authenticated as, never as another (Hadoop's SaslGssCallbackHandler rule). */
    private static void authorizeSelf(Callback[] callbacks) throws UnsupportedCallbackException {
        for (Callback callback : callbacks) {
            if (!(callback instanceof AuthorizeCallback authorize)) {
                throw new UnsupportedCallbackException(callback, "only authorization is handled here");
            }
            boolean self = authorize.getAuthenticationID().equals(authorize.getAuthorizationID());
            authorize.setAuthorized(self);
            if (self) {
                authorize.setAuthorizedID(authorize.getAuthorizationID());
            }
        }
    }
}

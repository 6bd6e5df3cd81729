package org.sluice.rpc.thrift;

import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

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

    /**
     * The source's side: each connection's SASL handshake runs as the source's principal, on a socket that bounds
     * what a client's message lengths make Thrift allocate ({@link SaslFrameBound}).
     */
    static TTransportFactory server(KerberosLogin login) {
        String[] serviceAndHost = KerberosLogin.serviceAndHost(login.principal());
        TSaslServerTransport.Factory sasl = new TSaslServerTransport.Factory();
        sasl.addServerDefinition("GSSAPI", serviceAndHost[0], serviceAndHost[1], AUTHENTICATION_ONLY,
                KerberosTransports::authorizeSelf);
        // Thrift's server asks for the input and then the output transport of each connection: both calls must get
        // the one SASL transport, which Thrift's factory keeps per underlying transport, so the same wrapper is given
        // for the same socket (weakly held, as Thrift holds its own).
        Map<TTransport, WeakReference<SaslFrameBound>> wrappers = Collections.synchronizedMap(new WeakHashMap<>());
        return new TTransportFactory() {
            @Override
            public TTransport getTransport(TTransport base) throws TTransportException {
                SaslFrameBound bounded;
                synchronized (wrappers) {
                    WeakReference<SaslFrameBound> known = wrappers.get(base);
                    bounded = known == null ? null : known.get();
                    if (bounded == null) {
                        bounded = new SaslFrameBound(base);
                        wrappers.put(base, new WeakReference<>(bounded));
                    }
                }
                SaslFrameBound socket = bounded;
                try {
                    TTransport transport = login.run(() -> sasl.getTransport(socket));
                    socket.handshakeDone();
                    return transport;
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

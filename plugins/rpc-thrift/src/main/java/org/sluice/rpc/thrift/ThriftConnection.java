package org.sluice.rpc.thrift;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

import org.apache.thrift.TException;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.sluice.api.event.Event;
import org.sluice.rpc.thrift.FlumeThriftProtocol.Status;
import org.sluice.support.tls.Tls;

/**
 * One client connection to a Thrift source: framed transport (or Kerberos's SASL transport), calls answered in order.
 * Not thread-safe.
 */
final class ThriftConnection implements AutoCloseable {

    /**
     * Where and how to connect; with {@code kerberos}, the sink logs in with it and authenticates to the source whose
     * principal is {@code serverPrincipal}.
     */
    record Settings(String host, int port, int connectTimeoutMillis, int requestTimeoutMillis,
            WireProtocol protocol, Tls tls, KerberosSettings kerberos, String serverPrincipal) {
        String address() {
            return host + ":" + port;
        }
    }

    private final TTransport transport;
    private final TProtocol protocol;
    private int seqid;

    private ThriftConnection(TTransport transport, TProtocol protocol) {
        this.transport = transport;
        this.protocol = protocol;
    }

    /** Connects; {@code login} is the sink's Kerberos login when {@link Settings#kerberos()} is set. */
    static ThriftConnection open(Settings settings, KerberosLogin login) throws Exception {
        InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
        TSocket socket;
        if (settings.tls() == null) {
            Socket plain = new Socket();
            try {
                plain.connect(address, settings.connectTimeoutMillis());
                plain.setSoTimeout(settings.requestTimeoutMillis());
                plain.setTcpNoDelay(true);
            } catch (IOException e) {
                plain.close();
                throw e;
            }
            socket = new TSocket(plain);
        } else {
            socket = new TSocket(settings.tls().connect(address, settings.connectTimeoutMillis(),
                    settings.requestTimeoutMillis()));
        }
        TTransport transport;
        if (login != null) {
            try {
                transport = KerberosTransports.client(login, settings.serverPrincipal(), socket);
            } catch (Exception e) {
                socket.close();
                throw new IOException("Kerberos authentication as " + login.principal() + " to "
                        + settings.serverPrincipal() + " at " + settings.address() + " failed: " + e.getMessage(), e);
            }
        } else {
            transport = new TFramedTransport(socket);
        }
        return new ThriftConnection(transport, settings.protocol().factory().getProtocol(transport));
    }

    /** Sends the batch and returns the source's answer; any exception leaves the connection unusable. */
    Status appendBatch(List<Event> events) throws TException {
        int call = ++seqid;
        FlumeThriftProtocol.writeAppendBatch(protocol, call, events);
        return FlumeThriftProtocol.readResult(protocol, FlumeThriftProtocol.APPEND_BATCH, call);
    }

    @Override
    public void close() {
        transport.close();
    }
}

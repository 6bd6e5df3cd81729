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

/** One client connection to a Thrift source: framed transport, calls answered in order. Not thread-safe. */
final class ThriftConnection implements AutoCloseable {

    /** Where and how to connect. */
    record Settings(String host, int port, int connectTimeoutMillis, int requestTimeoutMillis,
            WireProtocol protocol, Tls tls) {
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

    static ThriftConnection open(Settings settings) throws IOException, TException {
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
        TTransport framed = new TFramedTransport(socket);
        return new ThriftConnection(framed, settings.protocol().factory().getProtocol(framed));
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

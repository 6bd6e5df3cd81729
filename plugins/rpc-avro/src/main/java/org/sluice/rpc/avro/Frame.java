package org.sluice.rpc.avro;

import java.nio.ByteBuffer;
import java.util.List;

/** One message of Avro's Netty transport: the call's serial number and its buffers. */
record Frame(int serial, List<ByteBuffer> buffers) {
}

package org.sluice.zookeeper.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Writes and deletes znodes as an operator does with {@code zkCli.sh}, through ZooKeeper's own client: what the
 * agents under test read is what a real client wrote.
 */
public final class ZnodeWriter implements AutoCloseable {

    private final ZooKeeper client;

    ZnodeWriter(String connectString) throws IOException, InterruptedException {
        CountDownLatch connected = new CountDownLatch(1);
        client = new ZooKeeper(connectString, 30_000, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(30, TimeUnit.SECONDS)) {
            client.close();
            throw new IOException("could not connect to ZooKeeper at " + connectString + " within 30 s");
        }
    }

    /** Sets the znode's data to {@code text} (UTF-8), creating it and its parents if they do not exist. */
    public void write(String path, String text) throws IOException, InterruptedException {
        write(path, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sets the znode's data, creating it and its parents if they do not exist. */
    public void write(String path, byte[] data) throws IOException, InterruptedException {
        try {
            if (client.exists(path, false) != null) {
                client.setData(path, data, -1);
                return;
            }
            createParents(path);
            client.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } catch (KeeperException e) {
            throw new IOException("could not write " + path + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the znode, if it exists. */
    public void delete(String path) throws IOException, InterruptedException {
        try {
            client.delete(path, -1);
        } catch (KeeperException.NoNodeException gone) {
            // Already gone: what the caller wants.
        } catch (KeeperException e) {
            throw new IOException("could not delete " + path + ": " + e.getMessage(), e);
        }
    }

    private void createParents(String path) throws KeeperException, InterruptedException {
        int slash = path.indexOf('/', 1);
        while (slash > 0) {
            try {
                client.create(path.substring(0, slash), new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            } catch (KeeperException.NodeExistsException exists) {
                // Made earlier, or by another writer meanwhile.
            }
            slash = path.indexOf('/', slash + 1);
        }
    }

    @Override
    public void close() throws InterruptedException {
        client.close();
    }
}

package org.sluice.config.zookeeper;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.platform.config.source.AgentConfigurationSource;

/**
 * The agent's znode, {@code <base path>/<agent>}, read and watched through Curator. Its cache recipe keeps a watch
 * on the znode across lost connections and expired sessions; every event of it (created, changed, deleted), and
 * every (re)connection, tells the listeners to read again, so a change made while the agent was disconnected is
 * picked up when it reconnects. A read while ZooKeeper cannot be reached fails, with a message that says so: the
 * platform then keeps what runs.
 *
 * <p>Connection changes are logged once each, in words an operator can act on: unreachable (suspended), session
 * lost, reconnected.
 */
final class ZooKeeperConfigurationSource implements AgentConfigurationSource, Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperConfigurationSource.class);
    /** How long a read waits for a connection that is being made (the first one at start, or after a flap). */
    static final long READ_CONNECT_WAIT_MILLIS = 5_000;

    private final ZooKeeperSettings settings;
    private final CuratorFramework client;
    private final CuratorCache cache;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean everConnected;

    /**
     * @param sessionTimeoutMillis    the session ZooKeeper keeps while the client is away (Curator's default: 60 s)
     * @param connectionTimeoutMillis how long one connection attempt may take (Curator's default: 15 s)
     */
    ZooKeeperConfigurationSource(ZooKeeperSettings settings, int sessionTimeoutMillis, int connectionTimeoutMillis) {
        this.settings = settings;
        // Retries of one operation while the connection is being made again; the connection itself is retried by
        // the client for as long as it runs.
        this.client = CuratorFrameworkFactory.builder()
                .connectString(settings.connectString())
                .sessionTimeoutMs(sessionTimeoutMillis)
                .connectionTimeoutMs(connectionTimeoutMillis)
                .retryPolicy(new ExponentialBackoffRetry(1000, 3))
                .build();
        this.cache = CuratorCache.build(client, settings.agentPath(), CuratorCache.Options.SINGLE_NODE_CACHE);
    }

    /** Connects (in the background: nothing here waits for ZooKeeper) and starts watching the znode. */
    void start() {
        client.getConnectionStateListenable().addListener((ignored, state) -> connectionChanged(state));
        cache.listenable().addListener((type, before, after) -> {
            LOG.info("agent {}: znode {} {}", settings.agent(), settings.agentPath(), describe(type));
            signal();
        });
        client.start();
        cache.start();
    }

    @Override
    public String location() {
        return settings.location();
    }

    @Override
    public byte[] read() throws IOException {
        try {
            if (!client.getZookeeperClient().isConnected()
                    && !client.blockUntilConnected((int) READ_CONNECT_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new IOException("ZooKeeper " + settings.connectString() + " cannot be reached"
                        + (everConnected ? "" : " (not connected since the start)"));
            }
            byte[] data = client.getData().forPath(settings.agentPath());
            return data == null ? new byte[0] : data;
        } catch (KeeperException.NoNodeException e) {
            throw new IOException("znode " + settings.agentPath() + " does not exist on ZooKeeper "
                    + settings.connectString(), e);
        } catch (KeeperException e) {
            // Connection loss during the read, no read permission (ACL), a session that expired meanwhile.
            throw new IOException("ZooKeeper " + settings.connectString() + " did not answer the read of "
                    + settings.agentPath() + ": " + e.code(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + settings.agentPath(), e);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            // Curator declares Exception; what is left is a failure of the client itself.
            throw new IOException("reading " + settings.agentPath() + " from ZooKeeper " + settings.connectString()
                    + " failed: " + e, e);
        }
    }

    @Override
    public Closeable watch(Runnable changed) {
        listeners.add(changed);
        return () -> listeners.remove(changed);
    }

    /** Whether the client is connected now. */
    boolean connected() {
        return client.getZookeeperClient().isConnected();
    }

    /** Whether the client has been connected since it started. */
    boolean everConnected() {
        return everConnected;
    }

    @Override
    public void close() {
        listeners.clear();
        cache.close();
        client.close();
    }

    private void connectionChanged(ConnectionState state) {
        switch (state) {
            case CONNECTED:
                everConnected = true;
                LOG.info("agent {}: connected to ZooKeeper {}; reading {}", settings.agent(),
                        settings.connectString(), settings.agentPath());
                signal();
                break;
            case RECONNECTED:
                LOG.info("agent {}: reconnected to ZooKeeper {}; reading {} again", settings.agent(),
                        settings.connectString(), settings.agentPath());
                signal();
                break;
            case SUSPENDED:
                LOG.warn("agent {}: ZooKeeper {} cannot be reached; the agent keeps running its configuration and "
                        + "reconnects by itself", settings.agent(), settings.connectString());
                break;
            case LOST:
                LOG.error("agent {}: the ZooKeeper session with {} is lost; the agent keeps running its "
                        + "configuration, reconnects by itself and reads {} again then", settings.agent(),
                        settings.connectString(), settings.agentPath());
                break;
            case READ_ONLY:
                LOG.warn("agent {}: ZooKeeper {} answers read-only (it lost its quorum); changes are seen once it "
                        + "has it back", settings.agent(), settings.connectString());
                break;
            default:
                break;
        }
    }

    private void signal() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                // One listener's failure must not keep the others from hearing of the change.
                LOG.error("agent {}: a listener of {} failed", settings.agent(), settings.agentPath(), e);
            }
        }
    }

    private static String describe(org.apache.curator.framework.recipes.cache.CuratorCacheListener.Type type) {
        switch (type) {
            case NODE_CREATED:
                return "is there";
            case NODE_DELETED:
                return "was deleted";
            default:
                return "changed";
        }
    }
}

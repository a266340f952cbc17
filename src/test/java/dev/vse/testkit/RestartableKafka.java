package dev.vse.testkit;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Features;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node KRaft broker (combined broker + controller) in this JVM that can be stopped and started
 * again on the same address and the same data, as a real broker restart or outage looks to clients.
 * {@code EmbeddedKafka} (Kafka's cluster test kit) picks new random ports on every start, so it cannot do
 * this. Ports are chosen once (free at that moment), the log directory is formatted once; {@link #stop()}
 * shuts the server down cleanly, {@link #start()} brings up a new server on the same config.
 */
public final class RestartableKafka implements AutoCloseable {
    private static final int NODE_ID = 1;
    private final Path logDir;
    private final int brokerPort;
    private final int controllerPort;
    private KafkaRaftServer server;

    private RestartableKafka(Path logDir, int brokerPort, int controllerPort) {
        this.logDir = logDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
    }

    /** Formats {@code dir} (must be empty or absent), then starts; returns when the broker answers clients. */
    public static RestartableKafka start(Path dir) {
        try {
            Files.createDirectories(dir);
            RestartableKafka kafka = new RestartableKafka(dir.toAbsolutePath(), freePort(), freePort());
            kafka.format();
            kafka.start();
            return kafka;
        } catch (Exception e) {
            throw new IllegalStateException("restartable Kafka did not start: " + e.getMessage(), e);
        }
    }

    private void format() throws Exception {
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setSupportedFeatures(Features.PRODUCTION_FEATURES)
                .setControllerListenerName("CONTROLLER")
                .run();
    }

    private Properties config() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        // a single node: internal topics must not wait for replicas that will never exist
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "3");
        p.put("auto.create.topics.enable", "true");
        // the data must survive stop/start as it is: flush on shutdown is the default; no retention surprises
        p.put("log.retention.hours", "-1");
        return p;
    }

    /** Starts the server on the fixed ports and data; returns when a client can describe the cluster. */
    public synchronized void start() {
        if (server != null) {
            throw new IllegalStateException("already running");
        }
        KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(config(), false), Time.SYSTEM);
        s.startup();
        server = s;
        awaitReady(Duration.ofSeconds(60));
    }

    /** Clean shutdown (as a broker restart); the address and the data stay for {@link #start()}. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** A consumer reading {@code topics} from the beginning, keys as strings, values as bytes. */
    public KafkaConsumer<String, byte[]> consumer(String... topics) {
        return TestConsumers.fromEarliest(bootstrapServers(), List.of(topics));
    }

    private void awaitReady(Duration timeout) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(p)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get().isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("broker not ready after " + timeout, notYet);
                    }
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        stop();
    }
}

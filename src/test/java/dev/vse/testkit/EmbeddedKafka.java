package dev.vse.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * A real Apache Kafka broker in this JVM: one combined KRaft node from Kafka's own test kit. Test scope
 * only (tests and the demo launcher); the production jar never contains it.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final KafkaClusterTestKit cluster;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Formats and starts a single-node KRaft cluster; returns when the broker accepts clients. */
    public static EmbeddedKafka start() {
        try {
            KafkaClusterTestKit cluster = singleNode().build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafka(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("embedded Kafka did not start: " + e.getMessage(), e);
        }
    }

    /** The test kit's builder for one combined KRaft node, as every in-JVM broker of the tests starts from. */
    static KafkaClusterTestKit.Builder singleNode() {
        return new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                // a single node: internal topics must not wait for replicas that will never exist
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("num.partitions", "3")
                .setConfigProp("auto.create.topics.enable", "true");
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** A consumer reading {@code topics} from the beginning, keys as strings, values as bytes. */
    public KafkaConsumer<String, byte[]> consumer(String... topics) {
        return TestConsumers.fromEarliest(bootstrapServers(), List.of(topics));
    }

    /** Drains what {@code consumer} can read now (polls until a poll returns nothing). */
    public static List<ConsumerRecord<String, byte[]>> drain(KafkaConsumer<String, byte[]> consumer, Duration quiet) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        while (true) {
            var batch = consumer.poll(quiet);
            if (batch.isEmpty()) {
                return out;
            }
            batch.forEach(out::add);
        }
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("embedded Kafka did not stop cleanly", e);
        }
    }
}

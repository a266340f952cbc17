package dev.vse.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vse.testkit.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@link StateStoreContract} against {@link KafkaStateStore} on the real in-JVM broker (one per class, a fresh
 * compacted topic per test), plus what only the Kafka store does: restart = reading the EM's partition back, one
 * partition per EM with other EMs' keys skipped, tombstones for what the file store drops, fencing.
 */
class KafkaStateStoreIT extends StateStoreContract {
    static EmbeddedKafka kafka;
    String topic;
    String prefix;

    @BeforeAll
    static void broker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    static Properties client() {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        return p;
    }

    static String createTopic(int partitions) {
        String name = "state-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(client())) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return name;
    }

    @Override
    StateStore newStore() {
        topic = createTopic(3);
        prefix = "test-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        return new KafkaStateStore(client(), topic, prefix, Duration.ofSeconds(30));
    }

    private KafkaStateStore reopen() {
        store.close();
        KafkaStateStore reopened = new KafkaStateStore(client(), topic, prefix, Duration.ofSeconds(30));
        store = reopened;
        return reopened;
    }

    /** Everything on the topic, read_committed: key to the values in order (null = tombstone). */
    private Map<String, List<byte[]>> topicContent() {
        Properties p = client();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, List<byte[]>> out = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            var parts = c.partitionsFor(topic).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<org.apache.kafka.common.TopicPartition, Long> end = settledEnd(c, parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
                }
            }
        }
        return out;
    }

    /**
     * The read_committed end offsets once the transactions written so far are settled (up to 10 s): a commit returns
     * before the coordinator has written its markers, and until then a read_committed reader's end stops short of it.
     */
    private Map<org.apache.kafka.common.TopicPartition, Long> settledEnd(KafkaConsumer<String, byte[]> committed,
                                                                         List<org.apache.kafka.common.TopicPartition> parts) {
        try (KafkaConsumer<String, byte[]> raw = new KafkaConsumer<>(client(), new StringDeserializer(), new ByteArrayDeserializer())) {
            Map<org.apache.kafka.common.TopicPartition, Long> written = raw.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            Map<org.apache.kafka.common.TopicPartition, Long> end = committed.endOffsets(parts);
            while (!end.equals(written) && System.nanoTime() < deadline) {
                sleep(50);
                end = committed.endOffsets(parts);
            }
            return end;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void givenCommittedState_whenReopened_thenReadBackFromThePartition() {
        SessionSnapshot sparse = new SessionSnapshot(EM, uid("sparse"), BACKUP, null, null, null, null,
                null, T0, null, "Idle", null, null, null, false, T0);
        store.commit(EM, List.of(snapshot("a", "Stopped", "Warning", T0), sparse, snapshot("gone", "Working", "None", null)),
                List.of(new IncidentEntry("urn:veeam:Job:1", "{\"phase\":\"OPEN\"}"),
                        new IncidentEntry("urn:veeam:Job:2", "{\"phase\":\"PENDING\"}")));
        store.commit(EM, List.of(), List.of(new IncidentEntry("urn:veeam:Job:2", null)));
        store.forget(EM, List.of(uid("gone")));
        store.commitWatermark(EM, BACKUP, T0);
        store.commitWatermark(EM, BACKUP, T0.plusSeconds(60));
        store.commitBaseline(EM, BACKUP, T0.minusSeconds(60));
        store.commitBaseline("em02", REPLICA, T0.minusSeconds(120));

        reopen();

        assertThat(store.get(EM, uid("a"))).contains(snapshot("a", "Stopped", "Warning", T0));
        assertThat(store.get(EM, uid("sparse"))).contains(sparse);
        assertThat(store.get(EM, uid("gone"))).isEmpty();
        assertThat(store.size(EM)).isEqualTo(2);
        assertThat(store.unfinished(EM, BACKUP)).containsExactly(sparse);
        assertThat(store.watermark(EM, BACKUP)).contains(T0.plusSeconds(60));
        assertThat(store.baseline(EM, BACKUP)).contains(T0.minusSeconds(60));
        assertThat(store.baseline(EM, REPLICA)).isEmpty();
        assertThat(store.baseline("em02", REPLICA)).contains(T0.minusSeconds(120));
        assertThat(store.incidents(EM)).containsExactly(Map.entry("urn:veeam:Job:1", "{\"phase\":\"OPEN\"}"));
    }

    @Test
    void givenPruneForgetAndClosedIncident_whenWritten_thenTombstonesUnderTheSameKeys() {
        store.commit(EM, List.of(snapshot("old", "Stopped", "Success", T0.minusSeconds(86_400 * 40)),
                snapshot("recent", "Stopped", "Failed", T0), snapshot("f", "Working", "None", null)),
                List.of(new IncidentEntry("urn:veeam:Job:1", "{\"phase\":\"OPEN\"}")));
        store.prune(EM, T0.minusSeconds(86_400 * 30));
        store.forget(EM, List.of(uid("f")));
        store.commit(EM, List.of(), List.of(new IncidentEntry("urn:veeam:Job:1", null)));

        Map<String, List<byte[]>> content = topicContent();

        assertThat(content.get("em01|s|" + uid("old"))).hasSize(2).last().isNull();
        assertThat(content.get("em01|s|" + uid("f"))).hasSize(2).last().isNull();
        assertThat(content.get("em01|j|urn:veeam:Job:1")).hasSize(2).last().isNull();
        assertThat(content.get("em01|s|" + uid("recent"))).hasSize(1).first().isNotNull();
        // what compaction keeps (the last value per key, tombstones removed) is exactly what the file store keeps
        List<String> live = content.entrySet().stream().filter(e -> e.getValue().get(e.getValue().size() - 1) != null)
                .map(Map.Entry::getKey).toList();
        assertThat(live).containsExactly("em01|s|" + uid("recent"));
    }

    @Test
    void givenSeveralEmsInOnePartition_whenOneIsReadBack_thenOnlyItsKeysCount() {
        store.close();
        topic = createTopic(1);
        store = new KafkaStateStore(client(), topic, prefix, Duration.ofSeconds(30));
        store.commit(EM, List.of(snapshot("a", "Working", "None", null)));
        store.commit("em01|x", List.of(new SessionSnapshot("em01|x", uid("b"), BACKUP, null, null, null, null, null,
                T0, null, "Working", null, null, null, false, T0)));
        store.commitWatermark("em0", BACKUP, T0);

        reopen();

        assertThat(store.size(EM)).isEqualTo(1);
        assertThat(store.size("em01|x")).isEqualTo(1);
        assertThat(store.get("em01|x", uid("b"))).isPresent();
        assertThat(store.watermark(EM, BACKUP)).isEmpty();
        assertThat(store.watermark("em0", BACKUP)).contains(T0);
        assertThat(topicContent()).containsKey("em01%7Cx|s|" + uid("b"));
    }

    @Test
    void givenEm_whenPartitionChosen_thenStableHashOfTheEmId() {
        store.commit(EM, List.of(snapshot("a", "Working", "None", null)));
        int expected = KafkaStateStore.partitionOf(EM, 3);
        Properties p = client();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            var tp = new org.apache.kafka.common.TopicPartition(topic, expected);
            assertThat(settledEnd(c, List.of(tp)).get(tp)).as("records in partition %d", expected).isGreaterThan(0);
        }
        assertThat(KafkaStateStore.partitionOf(EM, 3)).isEqualTo(expected);
    }

    @Test
    void givenSecondStoreTakesTheEm_whenTheFirstWrites_thenItIsFencedGivesTheEmUpAndWritesNothing() {
        store.commit(EM, List.of(snapshot("a", "Working", "None", null)));
        AtomicReference<String> fencedWhy = new AtomicReference<>();
        ((KafkaStateStore) store).onFenced((em, why) -> fencedWhy.set(em + ": " + why));

        try (KafkaStateStore newer = new KafkaStateStore(client(), topic, prefix, Duration.ofSeconds(30))) {
            assertThat(newer.get(EM, uid("a"))).as("the newer owner read the state back").isPresent();

            assertThatThrownBy(() -> store.commit(EM, List.of(snapshot("a", "Stopped", "Success", T0))))
                    .isInstanceOf(EmReleasedException.class).hasMessageContaining("fenced");
            assertThat(fencedWhy.get()).startsWith("em01: ").contains(prefix + EM);

            newer.commit(EM, List.of(snapshot("b", "Working", "None", null)));
        }
        reopen();
        assertThat(store.get(EM, uid("a"))).as("the fenced write never committed")
                .contains(snapshot("a", "Working", "None", null));
        assertThat(store.get(EM, uid("b"))).isPresent();
    }
}

package dev.vse.testkit;

import static dev.vse.testkit.PipelineHarness.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.event.EventIds;
import dev.vse.event.EventType;
import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.SimSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;

/**
 * What a {@code read_committed} consumer found on the completed, failed and changes topics, against one terminal
 * record per session of the simulators' estates (every session ended by then): missing, duplicated by
 * {@code ce_id}, on the right topic with the right id.
 */
public record ReadCommittedVerdict(Map<String, Expected> expected, List<ConsumerRecord<String, byte[]>> received,
                                   String completed, String failed, String changes) {

    public record Expected(String emId, String topic, String ceId) { }

    public List<ConsumerRecord<String, byte[]>> terminal() {
        return received.stream().filter(r -> r.topic().equals(completed) || r.topic().equals(failed)).toList();
    }

    public Set<String> missing() {
        Set<String> m = new HashSet<>(expected.keySet());
        m.removeAll(terminal().stream().map(ConsumerRecord::key).collect(Collectors.toSet()));
        return m;
    }

    public long duplicates() {
        return terminal().size() - terminal().stream().map(r -> header(r, "ce_id")).distinct().count();
    }

    public long changeDuplicates() {
        List<ConsumerRecord<String, byte[]>> c = received.stream().filter(r -> r.topic().equals(changes)).toList();
        return c.size() - c.stream().map(r -> header(r, "ce_id")).distinct().count();
    }

    public long failedFound() {
        return terminal().stream().filter(r -> r.topic().equals(failed)).count();
    }

    public void assertExactlyOnce() {
        assertThat(missing()).as("terminal records missing").isEmpty();
        assertThat(duplicates()).as("terminal records duplicated (by ce_id)").isZero();
        assertThat(terminal()).as("every terminal record as expected").allSatisfy(r -> {
            Expected e = expected.get(r.key());
            assertThat(e).as("expected %s", r.key()).isNotNull();
            assertThat(r.topic()).isEqualTo(e.topic());
            assertThat(header(r, "ce_id")).isEqualTo(e.ceId());
        });
        assertThat(changeDuplicates()).as("changes duplicated (by ce_id)").isZero();
    }

    @Override
    public String toString() {
        return "terminal records expected " + expected.size() + ", found " + terminal().size() + " (" + failedFound()
                + " failed), missing " + missing().size() + (missing().isEmpty() ? "" : " " + missing().stream()
                .collect(Collectors.groupingBy(uid -> expected.get(uid).emId(), java.util.TreeMap::new, Collectors.counting())))
                + ", duplicated " + duplicates() + "; changes "
                + received.stream().filter(r -> r.topic().equals(changes)).count() + ", duplicated " + changeDuplicates();
    }

    /**
     * Reads the topics {@code read_committed} until every expected terminal record is there (at most {@code atMost}),
     * then a few seconds more (later cycles see the ended sessions: nothing more may come). {@code ems}: EM id →
     * its simulator.
     */
    public static ReadCommittedVerdict await(String bootstrap, Map<String, EmSimulator> ems, String completed,
                                             String failed, String changes, Duration atMost) {
        Supplier<Map<String, Expected>> expected = () -> {
            Map<String, Expected> out = new LinkedHashMap<>();
            ems.forEach((emId, em) -> {
                for (SimSession s : em.estate().all()) {
                    EventType type = "Failed".equals(s.getResult()) ? EventType.FAILED : EventType.COMPLETED;
                    out.put(s.uid(), new Expected(emId, type == EventType.FAILED ? failed : completed,
                            EventIds.terminal(emId, s.uid(), type)));
                }
            });
            return out;
        };
        List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = TestConsumers.readCommitted(bootstrap, List.of(completed, failed, changes))) {
            try {
                Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
                    received.addAll(EmbeddedKafka.drain(c, Duration.ofMillis(200)));
                    Set<String> keys = received.stream().filter(r -> !r.topic().equals(changes)).map(ConsumerRecord::key)
                            .collect(Collectors.toSet());
                    return keys.containsAll(expected.get().keySet());
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // reported as missing records by assertExactlyOnce
            }
            Awaitility.await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> true);
            received.addAll(EmbeddedKafka.drain(c, Duration.ofMillis(500)));
        }
        return new ReadCommittedVerdict(expected.get(), received, completed, failed, changes);
    }
}

package dev.vse.faults;

import static dev.vse.testkit.PipelineHarness.header;
import dev.vse.testkit.PipelineHarness;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.SimSession;
import dev.vse.simulator.SimulatorOptions;
import dev.vse.testkit.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.ServiceStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile XML served by EM over real HTTP to the real pipeline: DTDs, external entities (local file, HTTP),
 * parameter entities, entity bombs. Guards against XXE exfiltration into Kafka and against a bomb taking the
 * service down: each body must be parked in the DLQ as sent, nothing may be read from disk or fetched, and the
 * service must go on publishing the real sessions.
 */
class HostileXmlIT {
    private static EmbeddedKafka kafka;

    @TempDir
    Path state;
    @TempDir
    Path secrets;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void givenHostileBodiesFromEm_whenPolled_thenEachParkedAsSent_noFileContentInAnyRecord_andServiceGoesOn() throws Exception {
        try (HostileXml hostile = new HostileXml(secrets);
             EmSimulator em = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"));
             PipelineHarness h = new PipelineHarness(kafka.bootstrapServers(), state, em.baseUrl())) {
            Map<String, byte[]> payloads = hostile.payloads();
            SimSession canary = new SimSession(SimSession.BACKUP, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                    "Canary", "Backup", Instant.now().minus(Duration.ofMinutes(5))).setState("Working").setResult("None");
            em.estate().put(canary);
            // one hostile body as the (only) page of each of the first cycles
            payloads.values().forEach(p -> em.faults().bodyNext(p, 1));
            long heapBefore = usedHeap();
            h.with("em.session-types", "BackupJobSession").with("initial-load.policy", "all").start();

            List<ConsumerRecord<String, byte[]>> dlq = h.await(h.dlq, rs -> rs.size() >= payloads.size());
            h.await(h.changes, rs -> rs.stream().anyMatch(r -> r.key().equals(canary.uid())));
            em.estate().update(canary.getId(), s -> s.setState("Stopped").setResult("Failed").setEndTime(Instant.now()));
            h.await(h.failed, rs -> rs.stream().anyMatch(r -> r.key().equals(canary.uid())));
            long heapAfter = usedHeap();

            System.out.printf("[HostileXmlIT] %d hostile bodies served (%s), %d parked; used heap %d -> %d MiB; HTTP fetches %d%n",
                    payloads.size(), em.faults().injected(), dlq.size(), heapBefore >> 20, heapAfter >> 20, hostile.fetches());
            assertThat(dlq).hasSize(payloads.size());
            List<byte[]> parkedBodies = dlq.stream().map(ConsumerRecord::value).toList();
            for (Map.Entry<String, byte[]> p : payloads.entrySet()) {
                assertThat(parkedBodies).as(p.getKey() + " parked byte for byte")
                        .anySatisfy(b -> assertThat(b).isEqualTo(p.getValue()));
            }
            assertThat(dlq).allSatisfy(r -> {
                assertThat(header(r, "vse.em")).isEqualTo("em01");
                assertThat(header(r, "vse.request")).contains("/query");
                assertThat(header(r, "vse.error")).isNotBlank();
            });
            // the declaration (the path) is in the parked body, the file content is nowhere
            assertThat(parkedBodies).anySatisfy(b -> assertThat(new String(b, StandardCharsets.UTF_8))
                    .contains(hostile.secret.toString()));
            List<ConsumerRecord<String, byte[]>> all = h.records();
            assertThat(all).allSatisfy(r -> {
                assertThat(contains(r.value(), hostile.marker)).as("marker in value of %s/%s", r.topic(), r.key()).isFalse();
                for (Header hd : r.headers()) {
                    assertThat(contains(hd.value(), hostile.marker)).as("marker in header %s", hd.key()).isFalse();
                }
            });
            assertThat(hostile.fetches()).as("nothing fetched over HTTP").isZero();
            assertThat(all.stream().filter(r -> !r.topic().equals(h.dlq)).map(ConsumerRecord::key))
                    .as("only the real session was published").containsOnly(canary.uid());
            assertThat(heapAfter - heapBefore).as("no expansion kept in memory").isLessThan(256L << 20);
            assertThat(h.app().context().getStatus()).isEqualTo(ServiceStatus.Started);
        }
    }

    private static boolean contains(byte[] haystack, String needle) {
        if (haystack == null) {
            return false;
        }
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + n.length <= haystack.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static long usedHeap() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}

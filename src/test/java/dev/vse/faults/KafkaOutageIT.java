package dev.vse.faults;

import static dev.vse.testkit.PipelineHarness.header;
import static dev.vse.testkit.PipelineHarness.value;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vse.app.AppConfig;
import dev.vse.app.PipelineApp;
import dev.vse.app.Settings;
import dev.vse.detect.SessionSnapshot;
import dev.vse.em.support.LogCapture;
import dev.vse.event.EventIds;
import dev.vse.event.EventType;
import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.SimSession;
import dev.vse.simulator.SimulatorOptions;
import dev.vse.testkit.PipelineHarness;
import dev.vse.testkit.RestartableKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka away for a while: the broker stops in the middle of a scenario and comes back on the same address
 * with the same data; the pipeline (in this JVM, real HTTP to the EM simulator, file state store) is never
 * restarted.
 *
 * <p>Failure modes guarded: a snapshot advancing although Kafka never acknowledged its records (the end of
 * a session would then be lost for good); the pipeline dying, or logging stack traces per record, while the
 * broker is away; the Kafka producer staying broken after the broker returns (records never published
 * without a restart); a re-publication after the outage with a different {@code ce_id}.
 */
class KafkaOutageIT {
    /** How long the broker is away ("stop the broker for a minute"). */
    static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("outage.seconds", 60));

    @TempDir
    Path state;
    @TempDir
    Path kafkaDir;
    RestartableKafka kafka;
    EmSimulator em;
    PipelineApp app;
    LogCapture failures;
    final String suffix = UUID.randomUUID().toString().substring(0, 8);
    final String completed = "completed-" + suffix;
    final String failed = "failed-" + suffix;
    final String changes = "changes-" + suffix;
    final String dlq = "dlq-" + suffix;

    @BeforeEach
    void start() throws IOException {
        kafka = RestartableKafka.start(kafkaDir);
        em = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"));
        failures = LogCapture.of("dev.vse.pipeline"); // the cycle-stopped line (CycleCloser) and any parking (DeadLetters)
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        failures.close();
        em.close();
        kafka.close();
    }

    @Test
    void givenBrokerAwayForAMinute_whenSessionsEndMeanwhile_thenStateWaitsForKafka_andEverythingArrivesAfterItsReturn_withoutRestart()
            throws Exception {
        long t0 = System.nanoTime();
        Instant now = Instant.now();
        SimSession r1 = session(SimSession.BACKUP, "Fileserver", now.minus(Duration.ofMinutes(5)));
        SimSession r2 = session(SimSession.BACKUP, "Exchange", now.minus(Duration.ofMinutes(4)));
        SimSession r3 = session(SimSession.BACKUP, "Oracle", now.minus(Duration.ofMinutes(3)));
        SimSession r4 = session(SimSession.BACKUP, "SQL", now.minus(Duration.ofMinutes(3)));
        SimSession rep = session(SimSession.REPLICA, "DR Replication", now.minus(Duration.ofMinutes(2)));
        SimSession pre = session(SimSession.BACKUP, "Web", now.minus(Duration.ofMinutes(2)));
        for (SimSession s : List.of(r1, r2, r3, r4, rep, pre)) {
            em.estate().put(s);
        }
        start(Map.of());
        List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = kafka.consumer(completed, failed, changes, dlq)) {
            awaitRecords(consumer, received, Duration.ofSeconds(60),
                    rs -> keys(rs, changes).containsAll(uids(r1, r2, r3, r4, rep, pre)));
            // before the outage the normal path works
            end(pre, "Success");
            awaitRecords(consumer, received, Duration.ofSeconds(60), rs -> keys(rs, completed).contains(pre.uid()));
            CamelContext camel = app.context();

            // --- the broker goes away ---------------------------------------------------------------
            kafka.stop();
            long outageStart = System.nanoTime();
            int linesBefore = failures.lines().size();
            System.out.println("KafkaOutageIT: broker stopped for " + OUTAGE.toSeconds() + " s");
            end(r1, "Success");
            end(r2, "Warning");
            end(r3, "Failed");
            end(rep, "Success");
            em.estate().update(r4.getId(), s -> s.setProgress(60));
            Instant t = Instant.now();
            SimSession late = session(SimSession.BACKUP, "Archive", t.minus(Duration.ofMinutes(25)))
                    .setState("Stopped").setResult("Failed").setProgress(100).setEndTime(t.truncatedTo(ChronoUnit.SECONDS)); // after B
            SimSession retry = session(SimSession.BACKUP, "Oracle", t.minus(Duration.ofMinutes(1)))
                    .setState("Stopped").setResult("Success").setRetry(true).setProgress(100).setEndTime(t.truncatedTo(ChronoUnit.SECONDS));
            SimSession fresh = session(SimSession.BACKUP, "Mail", t);
            em.estate().put(late);
            em.estate().put(retry);
            em.estate().put(fresh);

            // the pipeline keeps polling EM and keeps failing to publish: the snapshots must not advance
            long requestsAtStop = em.requestCount();
            while (System.nanoTime() - outageStart < OUTAGE.toNanos()) {
                for (SimSession s : List.of(r1, r2, r3, rep)) {
                    Optional<SessionSnapshot> snap = app.store().get("em01", s.uid());
                    assertThat(snap).as("%s is tracked", s.getJobName()).isPresent();
                    assertThat(snap.get().state()).as("state of %s while Kafka is away", s.getJobName()).isEqualTo("Working");
                    assertThat(snap.get().terminalPublished()).isFalse();
                }
                for (SimSession s : List.of(late, retry, fresh)) {
                    assertThat(app.store().get("em01", s.uid())).as("%s first seen while Kafka is away", s.getJobName()).isEmpty();
                }
                assertThat(camel.getStatus()).isEqualTo(ServiceStatus.Started);
                Thread.sleep(1000);
            }
            System.out.printf("KafkaOutageIT: outage %d s; %d EM requests meanwhile; state did not advance%n",
                    (System.nanoTime() - outageStart) / 1_000_000_000L, em.requestCount() - requestsAtStop);

            // --- the broker returns on the same address and data -------------------------------------
            long back = System.nanoTime();
            kafka.start();
            System.out.printf("KafkaOutageIT: broker back after %d s (restart took %d ms)%n",
                    (System.nanoTime() - outageStart) / 1_000_000_000L, (System.nanoTime() - back) / 1_000_000L);
            Set<String> done = uids(pre, r1, r2, rep, retry);
            Set<String> fail = uids(r3, late);
            awaitRecords(consumer, received, Duration.ofSeconds(120), rs -> keys(rs, completed).containsAll(done)
                    && keys(rs, failed).containsAll(fail) && finalChangeOf(rs).keySet().containsAll(uids(r1, r2, r3, rep, late, retry)) && keys(rs, changes).contains(fresh.uid()));
            double recovery = (System.nanoTime() - back) / 1e9;
            // a few more cycles: for 3 s nothing else (no terminal record of another session, nothing parked),
            // and cycles started after that finished, so the store has caught up
            Instant quietFrom = Instant.now();
            Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> {
                        consumer.poll(Duration.ofMillis(100)).forEach(received::add);
                        assertThat(union(keys(received, completed), keys(received, failed))).as("sessions with a terminal record")
                                .isEqualTo(union(done, fail));
                        assertThat(keys(received, dlq)).as("parked").isEmpty();
                    });
            for (String type : List.of(SimSession.BACKUP, SimSession.REPLICA)) {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                        app.store().watermark("em01", type).map(w -> w.isAfter(quietFrom)).orElse(false));
            }
            received.addAll(dev.vse.testkit.EmbeddedKafka.drain(consumer, Duration.ofMillis(500)));

            // one cycle stuck on Kafka holds the (synchronous) timer: a send fails after delivery-timeout-ms (30 s;
            // longer when send() first blocks max-block-ms for a topic's metadata) and stops its cycle with one line
            List<String> outageLines = failures.lines().subList(linesBefore, failures.lines().size()).stream()
                    .filter(l -> l.contains("cycle stopped")).toList();
            System.out.printf("KafkaOutageIT: %d failed cycles logged:%n  %s%n", outageLines.size(), String.join("\n  ", outageLines));
            assertThat(outageLines).as("one WARN line per failed cycle")
                    .isNotEmpty()
                    .hasSizeLessThanOrEqualTo((int) (OUTAGE.toSeconds() / 30) + 4)
                    .allSatisfy(l -> assertThat(l).startsWith("WARN EM em01").doesNotContain("\n")
                            .contains("cycle stopped, nothing committed past this point, next cycle retries"));
            assertThat(failures.lines().subList(linesBefore, failures.lines().size()).stream().filter(l -> l.startsWith("WARN")))
                    .as("no WARN from the pipeline but cycle-stopped lines (nothing parked)").allSatisfy(l -> assertThat(l).contains("cycle stopped"));
            assertThat(app.context()).as("same pipeline, never restarted").isSameAs(camel);
            assertThat(camel.getRouteController().getRouteStatus("poll-em01")).isEqualTo(ServiceStatus.Started);
            for (SimSession s : List.of(r1, r2, r3, rep, late, retry)) {
                assertThat(app.store().get("em01", s.uid())).get().satisfies(snap -> {
                    assertThat(snap.state()).isEqualTo("Stopped");
                    assertThat(snap.terminalPublished()).isTrue();
                });
            }
            List<ConsumerRecord<String, byte[]>> terminal = received.stream()
                    .filter(r -> r.topic().equals(completed) || r.topic().equals(failed)).toList();
            Map<String, List<ConsumerRecord<String, byte[]>>> byKey = terminal.stream().collect(Collectors.groupingBy(ConsumerRecord::key));
            assertThat(byKey.keySet()).containsExactlyInAnyOrderElementsOf(union(done, fail));
            byKey.forEach((key, records) -> {
                EventType type = fail.contains(key) ? EventType.FAILED : EventType.COMPLETED;
                assertThat(records).allSatisfy(r -> {
                    assertThat(r.topic()).isEqualTo(type == EventType.FAILED ? failed : completed);
                    assertThat(header(r, "ce_id")).as("ce_id of %s", key).isEqualTo(EventIds.terminal("em01", key, type));
                });
            });
            Map<String, JsonNode> last = finalChangeOf(received);
            assertThat(last.get(r1.uid()).get("previousState").asText()).isEqualTo("Working");
            assertThat(last.get(r3.uid()).get("result").asText()).isEqualTo("Failed");
            assertThat(last.get(late.uid()).get("previousState").isNull()).as("first seen already finished").isTrue();
            assertThat(last.get(retry.uid()).get("isRetry").asBoolean()).isTrue();
            assertThat(keys(received, changes)).contains(fresh.uid());
            assertThat(keys(received, dlq)).isEmpty();
            System.out.printf("KafkaOutageIT: terminal records expected %d, found %d distinct (%d records, %d duplicates), "
                            + "lost 0; changes records %d; recovered %.1f s after the broker returned; total %.0f s%n",
                    done.size() + fail.size(), byKey.size(), terminal.size(), terminal.size() - byKey.size(),
                    keys(received, changes).size(), recovery, (System.nanoTime() - t0) / 1e9);
        }
    }

    // --- helpers --------------------------------------------------------------------------------

    private void start(Map<String, String> extra) {
        Map<String, String> o = new HashMap<>(PipelineHarness.overrides(kafka.bootstrapServers(), state, em.baseUrl(),
                completed, failed, changes, dlq));
        o.putAll(extra);
        Settings settings = Settings.load(Map.of(), o);
        app = new PipelineApp(AppConfig.from(settings), settings);
        app.start();
    }

    private void end(SimSession s, String result) {
        Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        em.estate().update(s.getId(), x -> x.setState("Stopped").setResult(result).setEndTime(end).setProgress(100));
    }

    private void awaitRecords(KafkaConsumer<String, byte[]> consumer, List<ConsumerRecord<String, byte[]>> received,
                                     Duration atMost, java.util.function.Predicate<List<ConsumerRecord<String, byte[]>>> done) {
        try {
            Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return done.test(received);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // where the pipeline is stuck, if it is
            System.out.println("inflight: " + app.context().getInflightRepository().browse().stream()
                    .map(i -> i.getFromRouteId() + "@" + i.getAtRouteId() + "/" + i.getNodeId() + " " + i.getDuration() + "ms").toList()
                    + " route poll-em01 " + app.context().getRouteController().getRouteStatus("poll-em01")
                    + " EM requests " + em.requestCount());
            Thread.getAllStackTraces().forEach((t, stack) -> {
                if (t.getName().startsWith("Camel") || t.getName().contains("kafka-producer")) {
                    System.out.println("--- " + t.getName() + " " + t.getState());
                    for (StackTraceElement el : stack) {
                        System.out.println("    at " + el);
                    }
                }
            });
            throw e;
        }
    }

    /** Per session, the last record on changes that shows it Stopped. */
    private Map<String, JsonNode> finalChangeOf(List<ConsumerRecord<String, byte[]>> records) {
        Map<String, JsonNode> out = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            if (r.topic().equals(changes)) {
                JsonNode v = value(r);
                if (v.get("state").asText().equals("Stopped")) {
                    out.put(r.key(), v);
                }
            }
        }
        return out;
    }

    private static Set<String> keys(List<ConsumerRecord<String, byte[]>> records, String topic) {
        return records.stream().filter(r -> r.topic().equals(topic)).map(ConsumerRecord::key).collect(Collectors.toSet());
    }

    private static Set<String> uids(SimSession... sessions) {
        return java.util.Arrays.stream(sessions).map(SimSession::uid).collect(Collectors.toSet());
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return u;
    }

    static SimSession session(String type, String job, Instant created) {
        String jobType = SimSession.REPLICA.equals(type) ? "Replica" : "Backup";
        return new SimSession(type, UUID.randomUUID().toString(), UUID.nameUUIDFromBytes(job.getBytes(StandardCharsets.UTF_8)).toString(),
                job, jobType, created).setState("Working").setResult("None").setProgress(20);
    }


}

package dev.vse.incident;

import static dev.vse.testkit.PipelineHarness.header;
import static dev.vse.testkit.PipelineHarness.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.SimJob;
import dev.vse.simulator.SimSession;
import dev.vse.simulator.SimTaskSession;
import dev.vse.simulator.SimulatorOptions;
import dev.vse.testkit.AlertmanagerProcess;
import dev.vse.testkit.EmbeddedKafka;
import dev.vse.testkit.PipelineHarness;
import dev.vse.testkit.PipelineProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job incidents end to end: the real pipeline, a real Kafka broker, the EM simulator over HTTP serving jobs with
 * their RetryOptions and sessions with their task sessions. Each test drives one job through the simulator and reads
 * what lands on the job alerts topic and the session topics.
 *
 * <p>The simulated jobs retry at once ({@code RetryTimeout} 0 minutes) and the lag margin is {@value #MARGIN_S} s,
 * so a retry deadline passes {@value #MARGIN_S} s after a failure.
 */
class JobAlertsIT {
    static final int MARGIN_S = 5;
    static final String FAILED_ALERT = "em.job.failed.v1";
    static final String RESOLVED_ALERT = "em.job.resolved.v1";
    static EmbeddedKafka kafka;

    @TempDir
    Path state;
    EmSimulator em;
    PipelineHarness h;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @AfterEach
    void stop() throws Exception {
        if (h != null) {
            h.close();
        }
        if (em != null) {
            em.close();
        }
    }

    private void start() throws Exception {
        em = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"));
        h = new PipelineHarness(kafka.bootstrapServers(), state, em.baseUrl())
                .with("poll.lag-margin", MARGIN_S + "s").start();
        // after the first cycle: what ends from now on is not history
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> h.app().store().watermark("em01", SimSession.BACKUP).isPresent());
    }

    /** A job of the simulator with this retry policy (retries at once: RetryTimeout 0). */
    private SimJob job(String name, boolean retries, int times) {
        SimJob job = new SimJob(UUID.nameUUIDFromBytes(name.getBytes()).toString(), name, "Backup")
                .setRetry(retries, times, Duration.ZERO);
        em.estate().putJob(job);
        return job;
    }

    /** A running session of {@code job} with one task per VM. */
    private SimSession run(SimJob job, Instant created, boolean isRetry, String... vms) {
        SimSession s = new SimSession(SimSession.BACKUP, UUID.randomUUID().toString(), job.getId(), job.getName(),
                job.getType(), created).setState("Working").setProgress(10).setRetry(isRetry);
        for (String vm : vms) {
            s.addTask(new SimTaskSession(UUID.randomUUID().toString(), vm, created).setState("InProgress"));
        }
        em.estate().put(s);
        return s;
    }

    /** Ends a session now; its first VM gets {@code result} and {@code reason}, the others succeed. */
    private Instant end(SimSession s, String result, String reason) {
        Instant end = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        em.estate().update(s.getId(), x -> {
            x.setState("Stopped").setResult(result).setProgress(100).setEndTime(end);
            for (int i = 0; i < x.getTasks().size(); i++) {
                boolean first = i == 0;
                x.getTasks().get(i).setState("Completed").setEndTime(end)
                        .setResult(first ? result : "Success").setReason(first ? reason : "");
            }
        });
        return end;
    }

    /** The job UID sessions carry (EM names every job {@code urn:veeam:Job:<guid>} there). */
    private static String jobUid(SimJob job) {
        return "urn:veeam:Job:" + job.getId();
    }

    private List<ConsumerRecord<String, byte[]>> alertsOf(SimJob job) {
        return h.on(h.jobAlerts).stream().filter(r -> jobUid(job).equals(r.key())).toList();
    }

    private List<ConsumerRecord<String, byte[]>> awaitAlerts(SimJob job, int n) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> alertsOf(job).size() >= n);
        return alertsOf(job);
    }

    private JsonNode awaitFailedRecord(SimSession s) {
        return value(h.await(h.failed, l -> l.stream().anyMatch(r -> s.uid().equals(r.key()))).stream()
                .filter(r -> s.uid().equals(r.key())).findFirst().orElseThrow());
    }

    /** For {@code during}, nothing more arrives on the job alerts topic for {@code job} than {@code n} records. */
    private void assertStays(SimJob job, int n, Duration during) {
        Awaitility.await().during(during).atMost(during.plusSeconds(30)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(alertsOf(job)).hasSize(n));
    }

    @Test
    void aFailedJobWithoutRetries_opensOneIncidentNamingItsVmsAndReasons_andItsNextGoodRunResolvesIt() throws Exception {
        start();
        SimJob job = job("SQL Backup", false, 0);
        SimSession failed = run(job, Instant.now(), false, "sql01", "sql02");
        end(failed, "Failed", "Error: Failed to create VM snapshot. Timed out.");

        ConsumerRecord<String, byte[]> alert = awaitAlerts(job, 1).get(0);
        assertThat(header(alert, "ce_type")).isEqualTo(FAILED_ALERT);
        assertThat(header(alert, "ce_subject")).isEqualTo(jobUid(job));
        JsonNode v = value(alert);
        assertThat(v.get("status").asText()).isEqualTo("failed");
        assertThat(v.get("incidentKey").asText()).isEqualTo("veeam:em01:" + jobUid(job));
        assertThat(v.get("sessionUid").asText()).isEqualTo(failed.uid());
        assertThat(v.get("attempts").asInt()).isEqualTo(1);
        assertThat(v.get("failureMessage").asText()).isEqualTo("Error: Failed to create VM snapshot. Timed out.");
        assertThat(v.get("tasks")).hasSize(1);
        assertThat(v.get("tasks").get(0).get("name").asText()).isEqualTo("sql01");
        assertThat(v.get("tasks").get(0).get("reason").asText()).isEqualTo("Error: Failed to create VM snapshot. Timed out.");

        JsonNode record = awaitFailedRecord(failed);
        assertThat(record.get("retryPending").asBoolean()).isFalse();
        assertThat(record.get("tasks")).extracting(t -> t.get("name").asText()).containsExactly("sql01", "sql02");
        assertThat(record.get("tasks").get(0).get("status").asText()).isEqualTo("Failed");

        SimSession good = run(job, Instant.now(), false, "sql01", "sql02");
        end(good, "Success", "");
        ConsumerRecord<String, byte[]> resolved = awaitAlerts(job, 2).get(1);
        assertThat(header(resolved, "ce_type")).isEqualTo(RESOLVED_ALERT);
        assertThat(value(resolved).get("incidentKey").asText()).isEqualTo(v.get("incidentKey").asText());
        assertThat(value(resolved).get("sessionUid").asText()).isEqualTo(good.uid());
        assertThat(value(resolved).get("resolvedAt").isNull()).isFalse();
        assertStays(job, 2, Duration.ofSeconds(3));
    }

    @Test
    void aFailureThatItsRetryRepairs_raisesNoJobAlert_andTheFailedRecordSaysARetryIsPending() throws Exception {
        start();
        SimJob job = job("Fileserver Backup", true, 2);
        SimSession failed = run(job, Instant.now(), false, "fs01");
        Instant end = end(failed, "Failed", "Error: Repository is out of space.");
        // Veeam starts the retry at once (RetryTimeout 0); EM does not always flag it IsRetry
        SimSession retry = run(job, end.plusMillis(500), false, "fs01");

        JsonNode record = awaitFailedRecord(failed);
        assertThat(record.get("retryPending").asBoolean()).isTrue();
        assertThat(record.get("retriesLeft").asInt()).isEqualTo(2);
        end(retry, "Success", "");
        h.await(h.completed, l -> l.stream().anyMatch(r -> retry.uid().equals(r.key())));
        assertStays(job, 0, Duration.ofSeconds(MARGIN_S + 3));
    }

    @Test
    void retriesUsedUp_giveExactlyOneIncidentAfterTheLastAttempt() throws Exception {
        start();
        SimJob job = job("Exchange Backup", true, 1);
        SimSession first = run(job, Instant.now(), false, "mbx01");
        Instant end = end(first, "Failed", "Error: Unable to connect to the agent.");
        SimSession retry = run(job, end.plusMillis(500), true, "mbx01");
        awaitFailedRecord(first);
        assertThat(alertsOf(job)).as("no incident while the retry runs").isEmpty();

        end(retry, "Failed", "Error: Unable to connect to the agent.");
        JsonNode v = value(awaitAlerts(job, 1).get(0));
        assertThat(v.get("attempts").asInt()).isEqualTo(2);
        assertThat(v.get("sessionUid").asText()).isEqualTo(retry.uid());
        assertThat(v.get("firstFailedSessionUid").asText()).isEqualTo(first.uid());
        assertThat(awaitFailedRecord(retry).get("retryPending").asBoolean()).isFalse();
        assertStays(job, 1, Duration.ofSeconds(MARGIN_S + 2));
    }

    @Test
    void noRetryStartedInTime_opensTheIncidentAfterRetryTimeoutPlusTheLagMargin() throws Exception {
        start();
        SimJob job = job("Web Backup", true, 3);
        SimSession failed = run(job, Instant.now(), false, "web01");
        Instant end = end(failed, "Failed", "Error: Failed to create VM snapshot. Timed out.");
        assertThat(awaitFailedRecord(failed).get("retryPending").asBoolean()).isTrue();

        ConsumerRecord<String, byte[]> alert = awaitAlerts(job, 1).get(0);
        Instant detected = Instant.parse(value(alert).get("detectedAt").asText());
        assertThat(detected).as("not before RetryTimeout (0) + POLL_LAG_MARGIN").isAfterOrEqualTo(end.plusSeconds(MARGIN_S));
        assertThat(value(alert).get("tasks").get(0).get("name").asText()).isEqualTo("web01");
        assertStays(job, 1, Duration.ofSeconds(3));
    }

    @Test
    void taskSessionsAnswering500_theFailedRecordGoesOutOnTimeWithoutThem() throws Exception {
        start();
        SimJob job = job("Oracle Backup", false, 0);
        em.faults().failPaths("taskSession", 500); // the task-session queries and the per-session links
        SimSession failed = run(job, Instant.now(), false, "ora01");
        Instant end = end(failed, "Failed", "Error: Repository is out of space.");

        ConsumerRecord<String, byte[]> record = h.await(h.failed, l -> l.stream().anyMatch(r -> failed.uid().equals(r.key())))
                .stream().filter(r -> failed.uid().equals(r.key())).findFirst().orElseThrow();
        assertThat(value(record).get("tasks").isNull()).isTrue();
        assertThat(value(record).get("tasksError").asText()).contains("500");
        assertThat(Duration.between(end, Instant.ofEpochMilli(record.timestamp())))
                .as("published within a few poll intervals of the failure").isLessThan(Duration.ofSeconds(10));
        // the incident opens all the same, without tasks
        assertThat(value(awaitAlerts(job, 1).get(0)).get("tasks").isNull()).isTrue();
    }

    @Test
    void endToEnd_aFailedJobIsActiveInAlertmanagerUntilItsNextGoodRun(@TempDir Path amDir) throws Exception {
        Optional<Path> binary = AlertmanagerProcess.binary();
        Assumptions.assumeTrue(binary.isPresent(), "no prometheus-alertmanager or alertmanager on the PATH");
        try (AlertmanagerProcess am = AlertmanagerProcess.start(binary.get(), amDir)) {
            em = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"));
            h = new PipelineHarness(kafka.bootstrapServers(), state, em.baseUrl())
                    .with("poll.lag-margin", MARGIN_S + "s").with("alertmanager.url", am.url())
                    .with("alertmanager.group-id", "am-" + UUID.randomUUID()).start();
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> h.app().store().watermark("em01", SimSession.BACKUP).isPresent());
            SimJob job = job("Mail Backup", false, 0);
            end(run(job, Instant.now(), false, "mail01"), "Failed", "Error: Repository is out of space.");

            String key = "veeam:em01:" + jobUid(job);
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> am.alert(key).isPresent());
            JsonNode alert = am.alert(key).orElseThrow();
            assertThat(alert.at("/status/state").asText()).isEqualTo("active");
            assertThat(alert.at("/labels/alertname").asText()).isEqualTo("VeeamJobFailed");
            assertThat(alert.at("/labels/job").asText()).isEqualTo("Mail Backup");
            assertThat(alert.at("/annotations/failed_vms").asText()).isEqualTo("mail01");
            assertThat(alert.at("/annotations/description").asText()).contains("Error: Repository is out of space.");

            end(run(job, Instant.now(), false, "mail01"), "Success", "");
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> am.alert(key).isEmpty());
        }
    }

    @Test
    void killedBetweenAFailureAndItsDeadline_theIncidentStillOpensOnceAfterTheRestart(@TempDir Path logs)
            throws Exception {
        em = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String failedTopic = "failed-" + suffix;
        String alertsTopic = "job-alerts-" + suffix;
        Map<String, String> o = new LinkedHashMap<>(PipelineHarness.overrides(kafka.bootstrapServers(), state,
                em.baseUrl(), "completed-" + suffix, failedTopic, "changes-" + suffix, "dlq-" + suffix));
        o.put("topic.job-alerts", alertsTopic);
        o.put("poll.lag-margin", "20s");
        o.put("events.console", "true");
        SimJob job = job("Crash Backup", true, 3);
        List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = kafka.consumer(failedTopic, alertsTopic)) {
            PipelineProcess first = PipelineProcess.start(o, logs.resolve("pipeline.log"), "first");
            try {
                assertThat(first.awaitLine(0, l -> l.contains("BackupJobSession: first cycle done"),
                        Duration.ofSeconds(90))).as("first cycle; see %s", logs).isGreaterThanOrEqualTo(0);
                SimSession failed = run(job, Instant.now(), false, "db01");
                end(failed, "Failed", "Error: Repository is out of space.");
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    received.addAll(EmbeddedKafka.drain(consumer, Duration.ofMillis(100)));
                    return received.stream().anyMatch(r -> r.topic().equals(failedTopic));
                });
                Thread.sleep(2_000);  // a few more cycles: the pending incident is committed by now
                first.kill();
            } finally {
                first.close();
            }
            assertThat(received).noneMatch(r -> r.topic().equals(alertsTopic));
            try (PipelineProcess second = PipelineProcess.start(o, logs.resolve("pipeline.log"), "after kill -9")) {
                Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    received.addAll(EmbeddedKafka.drain(consumer, Duration.ofMillis(100)));
                    return received.stream().anyMatch(r -> r.topic().equals(alertsTopic));
                });
                Awaitility.await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                            received.addAll(EmbeddedKafka.drain(consumer, Duration.ofMillis(100)));
                            assertThat(received.stream().filter(r -> r.topic().equals(alertsTopic))
                                    .map(r -> header(r, "ce_id")).distinct()).as("one incident").hasSize(1);
                        });
                second.stop(Duration.ofSeconds(10));
            }
        }
    }
}

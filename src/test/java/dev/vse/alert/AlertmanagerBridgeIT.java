package dev.vse.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vse.app.PipelineApp;
import dev.vse.event.JobAlert;
import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.GeneratorOptions;
import dev.vse.simulator.SimulatorOptions;
import dev.vse.testkit.AlertmanagerProcess;
import dev.vse.testkit.AllLogs;
import dev.vse.testkit.EmbeddedKafka;
import dev.vse.testkit.PipelineHarness;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventSerializer;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Alertmanager bridge of the real pipeline (Camel Main, routes/alertmanager.yaml, wired by {@link PipelineApp}
 * because ALERTMANAGER_URL is set) against a real Alertmanager (started here on a free loopback port; the test skips
 * itself without the binary) and the in-JVM Kafka broker. Job alert records are produced as the pipeline produces them
 * ({@code CloudEventMapper.toCloudEvent(JobAlert)}, CloudEvents binary mode through the SDK's serializer, key = job
 * UID) on a compacted topic of three partitions;
 * what counts is what Alertmanager's {@code GET /api/v2/alerts} says. The EM is a simulator with no jobs: the only
 * job alerts are the test's.
 *
 * <p>Re-send interval 20 s: an open alert ends 80 s after each send, so a change seen within the test's waits is the
 * bridge's doing, not Alertmanager's expiry.
 */
class AlertmanagerBridgeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RESEND = Duration.ofSeconds(20);
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String topic = "job-alerts-" + suffix;
    private final String group = "alertmanager-it-" + suffix;
    private final Deque<AutoCloseable> closing = new ArrayDeque<>();
    private EmbeddedKafka kafka;
    private AlertmanagerProcess am;
    private EmSimulator em;
    private KafkaProducer<String, CloudEvent> producer;
    private Admin admin;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        Optional<Path> binary = AlertmanagerProcess.binary();
        Assumptions.assumeTrue(binary.isPresent(), "no prometheus-alertmanager or alertmanager on the PATH (Debian: apt-get install prometheus-alertmanager)");
        Path amDir = Files.createDirectories(dir.resolve("alertmanager"));
        try {
            am = AlertmanagerProcess.start(binary.get(), amDir);
        } catch (Exception e) {
            Assumptions.abort("Alertmanager " + binary.get() + " does not start here: " + e.getMessage());
        }
        closing.push(am);
        kafka = EmbeddedKafka.start();
        closing.push(kafka);
        admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
        closing.push(admin);
        // as TOPICS_CREATE makes it: compacted (here three partitions, so the start-up read covers several)
        admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1).configs(Map.of("cleanup.policy", "compact")))).all().get();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, CloudEventSerializer.class.getName());
        p.put("cloudevents.serializer.encoding", "BINARY");
        producer = new KafkaProducer<>(p);
        closing.push(producer);
        em = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1")
                .withGenerator(GeneratorOptions.defaults().withJobs(0)));
        closing.push(em);
    }

    @AfterEach
    void stop() {
        while (!closing.isEmpty()) {
            try {
                closing.pop().close();
            } catch (Exception e) {
                System.err.println("AlertmanagerBridgeIT: close failed: " + e);
            }
        }
    }

    /** The pipeline with the bridge on, its own state folder, the test's topic, group and re-send interval. */
    private PipelineHarness pipeline(String name) throws Exception {
        PipelineHarness h = new PipelineHarness(kafka.bootstrapServers(), Files.createDirectories(dir.resolve(name)), em.baseUrl())
                .with("alertmanager.url", am.url())
                .with("alertmanager.group-id", group)
                .with("alertmanager.resend-interval", RESEND.toSeconds() + "s")
                .with("alertmanager.timeout", "2s")
                .with("topic.job-alerts", topic)
                .with("heartbeat.interval", "0");
        closing.push(h);
        return h.start();
    }

    /** As the pipeline produces it: key = job UID, the CloudEvent of {@link dev.vse.event.CloudEventMapper}. */
    private RecordMetadata produce(JobAlert alert) throws Exception {
        return producer.send(new ProducerRecord<>(topic, alert.key(), TestJobAlerts.event(alert))).get();
    }

    private static ConditionFactory await(String what) {
        return Awaitility.await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250));
    }

    /** The group's committed offset of {@code r}'s partition (the next record it will read), -1 when none. */
    private long committed(RecordMetadata r) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        OffsetAndMetadata o = offsets.get(new TopicPartition(r.topic(), r.partition()));
        return o == null ? -1 : o.offset();
    }

    private static double meter(PipelineHarness h, String name, String... tags) {
        MeterRegistry registry = h.app().context().getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        var search = registry.find(name).tags(tags);
        return search.counter() != null ? search.counter().count() : search.gauge() != null ? search.gauge().value() : Double.NaN;
    }

    private JsonNode active(String incidentKey) throws Exception {
        return am.alert(incidentKey).filter(a -> a.path("status").path("state").asText().equals("active")).orElse(null);
    }

    private static Instant instant(JsonNode alert, String field) {
        return Instant.parse(alert.path(field).asText());
    }

    @Test
    void givenJobAlerts_thenAlertmanagerShowsThemActive_acrossABridgeRestart_andAnAlertmanagerRestart_untilResolved() throws Exception {
        Instant failedAt = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
        String jobA = "urn:veeam:Job:a-" + suffix;
        String jobB = "urn:veeam:Job:b-" + suffix;
        String keyA = TestJobAlerts.incidentKey(jobA);
        String keyB = TestJobAlerts.incidentKey(jobB);
        JobAlert failedA = TestJobAlerts.failed(jobA, "SQL Backup 03", failedAt);

        // 1. a failed job: active in Alertmanager with its labels and annotations; the offset committed after that
        PipelineHarness first = pipeline("first");
        RecordMetadata a = produce(failedA);
        await("job A active in Alertmanager").until(() -> active(keyA) != null);
        JsonNode alert = active(keyA);
        assertThat(JSON.convertValue(alert.get("labels"), Map.class)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "alertname", "VeeamJobFailed", "em", "em01", "job", "SQL Backup 03", "backup_server", "vbr01.example.com",
                "severity", "critical", "incident_key", keyA));
        assertThat(alert.get("annotations").get("summary").asText())
                .isEqualTo("Veeam job 'SQL Backup 03' failed on vbr01.example.com (EM em01), 3 attempts");
        assertThat(alert.get("annotations").get("failed_vms").asText()).isEqualTo("sql01");
        assertThat(alert.get("annotations").get("description").asText())
                .contains("- sql01: Failed to create VM snapshot. Error: Insufficient disk space");
        assertThat(alert.get("annotations").get("session_uid").asText()).isEqualTo(failedA.sessionUid());
        assertThat(instant(alert, "startsAt")).isEqualTo(failedAt);
        assertThat(alert.get("generatorURL").asText()).isEqualTo(TestJobAlerts.EM_URL);
        await("job A's offset committed").until(() -> committed(a) == a.offset() + 1);
        assertThat(meter(first, "vse.alertmanager.open.incidents")).isEqualTo(1.0);
        assertThat(meter(first, "vse.alertmanager.posts", "outcome", "accepted")).isGreaterThanOrEqualTo(1.0);

        // 2. the bridge stops and starts again (a new Camel context, the same group, whose offset is past A's record):
        //    the start-up read of the topic knows A is open and re-sends it at once (a later endsAt than before)
        first.stop();
        Instant endsBefore = instant(active(keyA), "endsAt");
        Instant restartedAt = Instant.now();
        PipelineHarness second = pipeline("second");
        await("job A re-sent by the restarted bridge")
                .until(() -> Optional.ofNullable(active(keyA)).map(x -> instant(x, "endsAt").isAfter(endsBefore)).orElse(false));
        assertThat(instant(active(keyA), "endsAt")).isAfter(restartedAt.plus(RESEND.multipliedBy(3)));
        assertThat(committed(a)).isEqualTo(a.offset() + 1);

        // 3. Alertmanager goes away: a new failure is retried, not committed; back, it gets B, and A again from the re-send
        am.stop();
        AllLogs logs = new AllLogs();
        closing.push(logs);
        RecordMetadata b = produce(TestJobAlerts.failed(jobB, "File Share 07", failedAt.plusSeconds(60)));
        await("a failed POST").until(() -> meter(second, "vse.alertmanager.posts", "outcome", "failed") >= 1.0);
        // one delivery's retries (about 30 s) run out: one WARN line, no stack trace; the record is read again
        Awaitility.await("the delivery given up once").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> !logs.containing("not delivered, not committed, retried").isEmpty());
        List<AllLogs.Line> warnings = logs.lines().stream().filter(l -> l.level().equals("WARN") || l.level().equals("ERROR")).toList();
        assertThat(warnings).as("warnings during the outage").isNotEmpty().allSatisfy(l -> {
            assertThat(l.logger()).isEqualTo(AlertmanagerBridge.class.getName());
            assertThat(l.thrown()).as("stack trace").isEmpty();
        });
        assertThat(logs.containing("not delivered")).hasSize(1).first().extracting(AllLogs.Line::message).asString()
                .contains("job alert " + jobB, "not reachable");
        assertThat(committed(b)).isLessThanOrEqualTo(b.offset());
        am.start();
        assertThat(am.alerts()).as("a restarted Alertmanager knows no alert").isEmpty();
        await("job B active once Alertmanager is back").until(() -> active(keyB) != null);
        await("job B's offset committed").until(() -> committed(b) == b.offset() + 1);
        await("job A re-sent to the restarted Alertmanager").atMost(RESEND.plusSeconds(30)).until(() -> active(keyA) != null);
        assertThat(meter(second, "vse.alertmanager.open.incidents")).isEqualTo(2.0);

        // 4. A recovers: resolved in Alertmanager (no longer listed as active) well before its open endsAt; B stays
        Instant openEnds = instant(active(keyA), "endsAt");
        RecordMetadata resolved = produce(TestJobAlerts.resolved(failedA, Instant.now().truncatedTo(ChronoUnit.MILLIS)));
        await("job A resolved").until(() -> active(keyA) == null);
        assertThat(Instant.now()).as("resolved by the bridge, not expired").isBefore(openEnds);
        assertThat(active(keyB)).isNotNull();
        await("the resolution's offset committed").until(() -> committed(resolved) == resolved.offset() + 1);
        assertThat(meter(second, "vse.alertmanager.open.incidents")).isEqualTo(1.0);
    }
}

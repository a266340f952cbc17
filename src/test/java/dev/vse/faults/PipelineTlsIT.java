package dev.vse.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.testkit.AllLogs;
import dev.vse.testkit.PipelineHarness;
import dev.vse.testkit.TestCa;
import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.SimSession;
import dev.vse.simulator.SimulatorOptions;
import dev.vse.testkit.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.camel.ServiceStatus;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS through the whole pipeline against an EM whose certificate comes from an internal CA (the usual case:
 * Veeam installs a self-signed one). JVM trust refuses it, and the operator must learn which setting fixes that;
 * the CA as PEM or as truststore makes it work; trust-all works but says loudly that nothing is verified.
 */
class PipelineTlsIT {
    private static EmbeddedKafka kafka;
    private static TestCa ca;

    @TempDir
    Path dir;
    private EmSimulator em;
    private PipelineHarness pipeline;
    private AllLogs logs;
    private SimSession session;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
        ca = TestCa.create();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @BeforeEach
    void startHttpsEm() throws Exception {
        logs = new AllLogs();
        em = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1")
                .withTls(ca.serverKeyStore(), TestCa.KEY_PASSWORD));
        session = new SimSession(SimSession.BACKUP, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                "Nightly", "Backup", Instant.now().minus(Duration.ofMinutes(5))).setState("Working").setResult("None");
        em.estate().put(session);
        pipeline = new PipelineHarness(kafka.bootstrapServers(), dir.resolve("state"), em.baseUrl());
    }

    @AfterEach
    void stopAll() {
        pipeline.close();
        em.close();
        logs.close();
    }

    // Guards: an untrusted EM certificate crashing the service, being retried as if transient without a word on
    // the fix, or producing records from an EM whose identity was never checked.
    @Test
    void givenJvmDefaultTrust_whenEmHasInternalCaCertificate_thenKeepsRunningSaysToConfigureTheCaAndPublishesNothing() {
        assertThat(em.baseUrl()).startsWith("https://");
        pipeline.start();

        // two polls' worth of failures: the service goes on trying
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> hintLines().size() >= 2);
        List<AllLogs.Line> hints = hintLines();
        assertThat(hints).allSatisfy(l -> {
            assertThat(l.level()).isEqualTo("WARN");
            assertThat(l.message()).doesNotContain("\n").contains("em.ca-pem").contains("em.truststore")
                    .contains("em01");
            assertThat(l.thrown()).as("one line, no stack trace").isEmpty();
        });
        assertThat(pipeline.app().context().getRouteController().getRouteStatus("poll-em01"))
                .isEqualTo(ServiceStatus.Started);
        assertThat(pipeline.records()).isEmpty();
        System.out.println("[PipelineTlsIT] hint line: " + hints.get(0).message());
    }

    // Guards: a PEM CA file that is read but not used for the handshake (or only for the logon).
    @Test
    void givenCaPem_whenPolling_thenRecordsArrive() throws Exception {
        pipeline.with("em.ca-pem", ca.writeCaPem(dir.resolve("em-ca.pem")).toString()).start();

        pipeline.await(pipeline.changes, rs -> rs.stream().anyMatch(r -> r.key().equals(session.uid())));
        assertThat(hintLines()).isEmpty();
    }

    @Test
    void givenTruststore_whenPolling_thenRecordsArrive() throws Exception {
        pipeline.with("em.truststore", ca.writeTruststore(dir.resolve("em-ca.p12"), "changeit-77").toString())
                .with("em.truststore-password", "changeit-77").start();

        pipeline.await(pipeline.changes, rs -> rs.stream().anyMatch(r -> r.key().equals(session.uid())));
        assertThat(hintLines()).isEmpty();
    }

    // Guards: trust-all silently switched on (a lab setting that reached production unnoticed).
    @Test
    void givenInsecureTrustAll_whenStarting_thenWarnsOnceNamingTheEm_andRecordsArrive() {
        pipeline.with("em.insecure-trust-all", "true").start();

        pipeline.await(pipeline.changes, rs -> rs.stream().anyMatch(r -> r.key().equals(session.uid())));
        List<AllLogs.Line> warnings = logs.lines().stream()
                .filter(l -> l.level().equals("WARN") && l.message().contains("NOT verified")).toList();
        assertThat(warnings).singleElement().satisfies(l -> {
            assertThat(l.message()).contains("em01").contains(em.baseUrl()).contains("certificates");
        });
        System.out.println("[PipelineTlsIT] trust-all warning: " + warnings.get(0).message());
    }

    /** What an operator sees at the default levels (the client repeats it at DEBUG). */
    private List<AllLogs.Line> hintLines() {
        return logs.lines().stream().filter(l -> !l.level().equals("DEBUG"))
                .filter(l -> l.message().contains("not trusted")).toList();
    }
}

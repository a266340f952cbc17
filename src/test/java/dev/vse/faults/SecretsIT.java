package dev.vse.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.testkit.AllLogs;
import dev.vse.testkit.PipelineHarness;
import dev.vse.testkit.TestCa;
import dev.vse.app.AppConfig;
import dev.vse.em.EmSource;
import dev.vse.app.Settings;
import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.SimSession;
import dev.vse.simulator.SimulatorOptions;
import dev.vse.testkit.SecuredKafka;
import dev.vse.app.KafkaClientSettings;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The EM password, its Basic form and EM's session tokens must never leave the HTTP requests that need them:
 * not in a log line or a logged exception (at any level the shipped configuration lets through, our own code at
 * DEBUG), not in a DLQ record, not in any Kafka record, not in a configuration's {@code toString()}. Each test
 * drives the real pipeline through one situation that produces errors and log lines; {@link #nothingLeaked()}
 * then searches everything. A proxy ({@link TokenTap}) records the tokens EM really handed out.
 */
class SecretsIT {
    private static final String USER = "svc-veeam";
    private static final String PASSWORD = "Zx9-Secret-Pa55word!";
    private static final String BASIC = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    /** A wrong Kafka SASL password: the producers' authentication failures must not quote it either. */
    private static final String WRONG_KAFKA_PASSWORD = "Wrong-Kafka-Pw-66!";

    /** PLAINTEXT for the existing cases, SASL and mutual TLS for the Kafka credentials. */
    private static SecuredKafka kafka;

    @TempDir
    Path state;
    private AllLogs logs;
    private final List<AutoCloseable> open = new ArrayList<>();
    private PipelineHarness pipeline;
    private TokenTap tap;

    @BeforeAll
    static void startKafka() {
        kafka = SecuredKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @BeforeEach
    void captureLogs() {
        logs = new AllLogs();
    }

    /** Stops the pipeline (logout and shutdown log too), then searches every line and every record. */
    @AfterEach
    void nothingLeaked() throws Exception {
        List<ConsumerRecord<String, byte[]>> records = List.of();
        try {
            if (pipeline != null) {
                records = pipeline.records();
                pipeline.stop();
                records = pipeline.records();
            }
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
            logs.close();
        }
        List<String> secrets = new ArrayList<>(List.of(PASSWORD, BASIC, URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8),
                SecuredKafka.PASSWORD, SecuredKafka.STORE_PASSWORD, WRONG_KAFKA_PASSWORD));
        if (tap != null) {
            secrets.addAll(tap.tokens());
        }
        String everything = logs.all();
        for (String secret : secrets) {
            assertThat(everything).as("log lines and logged exceptions").doesNotContain(secret);
        }
        for (ConsumerRecord<String, byte[]> r : records) {
            StringBuilder text = new StringBuilder(String.valueOf(r.key())).append('\n')
                    .append(new String(r.value() == null ? new byte[0] : r.value(), StandardCharsets.UTF_8));
            for (Header h : r.headers()) {
                text.append('\n').append(h.key()).append('=').append(new String(h.value(), StandardCharsets.UTF_8));
            }
            for (String secret : secrets) {
                assertThat(text.toString()).as("record on %s", r.topic()).doesNotContain(secret);
            }
        }
        System.out.printf("[SecretsIT] searched %d log lines and %d records for %d secrets%n",
                logs.lines().size(), records.size(), secrets.size());
    }

    // --- situations -------------------------------------------------------------------------------------------

    @Test
    void givenCorrectPassword_whenSessionsArePublished_thenNeitherPasswordNorTokenAppearAnywhere() throws Exception {
        EmSimulator em = em(SimulatorOptions.defaults().withCredentials(USER, PASSWORD));
        SimSession s = session("Stopped", "Success");
        em.estate().put(s);
        start(em);

        pipeline.await(pipeline.changes, rs -> rs.stream().anyMatch(r -> r.key().equals(s.uid())));
        assertThat(tap.authorizations()).as("the secret really was in flight").contains("Basic " + BASIC);
        assertThat(tap.tokens()).isNotEmpty();
    }

    // Guards: an AUTHENTICATION failure message that quotes the Authorization header or the password it tried.
    @Test
    void givenWrongPassword_whenEmAnswers401_thenTheAuthenticationLineNamesTheUserButNotThePassword() throws Exception {
        EmSimulator em = em(SimulatorOptions.defaults().withCredentials(USER, "the-right-one"));
        start(em);

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !logs.containing("AUTHENTICATION").isEmpty());
        assertThat(logs.containing("AUTHENTICATION")).first().satisfies(l -> {
            assertThat(l.message()).contains(USER).doesNotContain("\n");
        });
        assertThat(pipeline.records()).isEmpty();
    }

    // Guards: the re-logon path (401 on an expired token) logging the old or the new token, or the request headers.
    @Test
    void givenTokensExpiring_whenThePipelineLogsOnAgain_thenNoTokenIsLogged() throws Exception {
        EmSimulator em = em(SimulatorOptions.defaults().withCredentials(USER, PASSWORD));
        List<SimSession> sessions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            SimSession s = session("Working", "None");
            sessions.add(s);
            em.estate().put(s);
        }
        em.faults().expireTokenAfterPages(1);
        pipeline(em).with("em.page-size", "2").start();

        pipeline.await(pipeline.changes, rs -> rs.stream().map(ConsumerRecord::key).toList()
                .containsAll(sessions.stream().map(SimSession::uid).toList()));
        em.expireAllTokens();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> tap.tokens().size() >= 4);
        assertThat(logs.containing("logging on again")).isNotEmpty();
    }

    // Guards: retry and cycle-stop lines for 5xx answers carrying request headers or the exchange.
    @Test
    void givenServerErrors_whenRetriesRunOut_thenTheCycleStopLineHoldsNoSecret() throws Exception {
        EmSimulator em = em(SimulatorOptions.defaults().withCredentials(USER, PASSWORD));
        SimSession s = session("Stopped", "Failed");
        em.estate().put(s);
        em.faults().failNext(500, 4);
        start(em);

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !logs.containing("cycle stopped").isEmpty());
        pipeline.await(pipeline.changes, rs -> rs.stream().anyMatch(r -> r.key().equals(s.uid())));
    }

    // Guards: a DLQ record whose headers or body carry the request's Authorization/token headers.
    @Test
    void givenMalformedPage_whenParkedInTheDlq_thenTheDeadLetterHoldsNoSecret() throws Exception {
        EmSimulator em = em(SimulatorOptions.defaults().withCredentials(USER, PASSWORD));
        em.estate().put(session("Working", "None"));
        em.faults().malformedNext(1);
        start(em);

        List<ConsumerRecord<String, byte[]>> dlq = pipeline.await(pipeline.dlq, rs -> !rs.isEmpty());
        assertThat(PipelineHarness.header(dlq.get(0), "vse.error.kind")).isEqualTo("MALFORMED");
    }

    // Guards: a TLS failure whose log line dumps the request (with its Authorization header) or the config.
    @Test
    void givenUntrustedEmCertificate_whenTheHandshakeFails_thenTheTlsLineHoldsNoSecret() throws Exception {
        TestCa ca = TestCa.create();
        EmSimulator em = em(SimulatorOptions.defaults().withCredentials(USER, PASSWORD)
                .withTls(ca.serverKeyStore(), TestCa.KEY_PASSWORD));
        pipeline = new PipelineHarness(kafka.bootstrapServers(), state, em.baseUrl())
                .with("em.username", USER).with("em.password", PASSWORD);
        open.add(0, pipeline);
        pipeline.start();

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !logs.containing("not trusted").isEmpty());
    }

    // Guards: a configuration dumped into a log or an exception (record toString) showing the passwords.
    @Test
    void givenPasswordsInTheConfiguration_whenPrinted_thenToStringHidesThem() throws Exception {
        Path truststore = TestCa.create().writeTruststore(state.resolve("ca.p12"), "Trust-Store-Pw-77!");
        AppConfig config = AppConfig.from(new Settings(Settings.bundled(), Map.of(
                "EM_URL", "https://em01:9398/api", "EM_USERNAME", USER, "EM_PASSWORD", PASSWORD,
                "EM_TRUSTSTORE", truststore.toString(), "EM_TRUSTSTORE_PASSWORD", "Trust-Store-Pw-77!"), Map.of(
                "em.1.url", "https://em02:9398/api", "em.1.username", USER, "em.1.password", PASSWORD + "2")));

        assertThat(config.ems()).hasSize(2);
        assertThat(config.toString()).doesNotContain(PASSWORD).doesNotContain(BASIC).doesNotContain("Trust-Store-Pw-77!")
                .contains(USER);
        for (EmSource em : config.ems()) {
            assertThat(em.server().toString()).doesNotContain(PASSWORD).doesNotContain("Trust-Store-Pw-77!");
            assertThat(em.toString()).doesNotContain(PASSWORD);
        }
    }

    // Guards: the SASL password (or the JAAS line built from it) in Camel's startup property summary, the Kafka
    // client's config dump, or a log line of ours.
    @Test
    void givenSaslScramAndMutualTlsPasswords_whenSessionsArePublished_thenNoKafkaPasswordAppearsAnywhere() throws Exception {
        EmSimulator em = em(SimulatorOptions.defaults().withCredentials(USER, PASSWORD));
        SimSession s = session("Stopped", "Success");
        em.estate().put(s);
        pipeline(em);
        kafka.sasl("SCRAM-SHA-512", SecuredKafka.USER, SecuredKafka.PASSWORD).forEach(pipeline::with);
        pipeline.start();
        pipeline.await(pipeline.changes, rs -> rs.stream().anyMatch(r -> r.key().equals(s.uid())));
        pipeline.stop();
        pipeline = new PipelineHarness(kafka.bootstrapServers(), state.resolve("mtls"), tap.via(em.baseUrl()))
                .with("em.username", USER).with("em.password", PASSWORD).with("initial-load.policy", "all");
        open.add(0, pipeline);
        kafka.mutualTls().forEach(pipeline::with);
        pipeline.start();
        pipeline.await(pipeline.changes, rs -> rs.stream().anyMatch(r -> r.key().equals(s.uid())));
    }

    // Guards: the producers' authentication errors (retried every cycle) quoting the password they tried.
    @Test
    void givenWrongKafkaPassword_whenTheProducersFailToAuthenticate_thenThePasswordIsNotLogged() throws Exception {
        EmSimulator em = em(SimulatorOptions.defaults().withCredentials(USER, PASSWORD));
        em.estate().put(session("Stopped", "Success"));
        pipeline(em);
        kafka.sasl("SCRAM-SHA-512", SecuredKafka.USER, WRONG_KAFKA_PASSWORD).forEach(pipeline::with);
        pipeline.start();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> logs.lines().stream()
                .anyMatch(l -> l.text().contains("Authentication failed")));
    }

    @Test
    void givenKafkaPasswords_whenTheKafkaSettingsArePrinted_thenToStringHidesThem() {
        KafkaClientSettings k = KafkaClientSettings.from(new Settings(Settings.bundled(), Map.of(), Map.of(
                "kafka.security-protocol", "SASL_SSL", "kafka.sasl.mechanism", "SCRAM-SHA-256",
                "kafka.sasl.username", SecuredKafka.USER, "kafka.sasl.password", SecuredKafka.PASSWORD,
                "kafka.ssl.truststore-location", kafka.truststore().toString(),
                "kafka.ssl.truststore-password", SecuredKafka.STORE_PASSWORD)));
        assertThat(k.toString()).contains(SecuredKafka.USER).doesNotContain(SecuredKafka.PASSWORD)
                .doesNotContain(SecuredKafka.STORE_PASSWORD);
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private EmSimulator em(SimulatorOptions options) throws Exception {
        EmSimulator em = EmSimulator.start(options.withPort(0).withBindHost("127.0.0.1"));
        open.add(em);
        return em;
    }

    private PipelineHarness pipeline(EmSimulator em) throws Exception {
        URI u = URI.create(em.baseUrl());
        tap = new TokenTap(u.getScheme() + "://" + u.getAuthority());
        open.add(tap);
        pipeline = new PipelineHarness(kafka.bootstrapServers(), state, tap.via(em.baseUrl()))
                .with("em.username", USER).with("em.password", PASSWORD).with("initial-load.policy", "all");
        open.add(0, pipeline); // closed last: its consumer is read in nothingLeaked()
        return pipeline;
    }

    private void start(EmSimulator em) throws Exception {
        pipeline(em).start();
    }

    private static SimSession session(String state, String result) {
        Instant created = Instant.now().minus(Duration.ofMinutes(10));
        SimSession s = new SimSession(SimSession.BACKUP, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                "Nightly", "Backup", created).setState(state).setResult(result);
        return "Stopped".equals(state) ? s.setEndTime(Instant.now().minus(Duration.ofMinutes(1))).setProgress(100) : s;
    }
}

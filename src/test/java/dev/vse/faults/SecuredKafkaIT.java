package dev.vse.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.app.KafkaStartupCheck;
import dev.vse.app.Settings;
import dev.vse.app.TopicPlan;
import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.SimSession;
import dev.vse.simulator.SimulatorOptions;
import dev.vse.testkit.PipelineHarness;
import dev.vse.testkit.SecuredKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pipeline against a secured broker ({@link SecuredKafka}: SASL PLAIN / SCRAM-SHA-512, mutual TLS, an ACL
 * authorizer): the producers and the startup check's Admin client use the same settings, a wrong password is
 * exit 3 with one line, a refused topic creation and an unreadable secret file are exit 2 naming what to fix.
 */
class SecuredKafkaIT {
    private static final Duration QUICK_EXIT = Duration.ofSeconds(40);
    private static SecuredKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startKafka() {
        kafka = SecuredKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    // Guards: security settings applied to the startup check but not to the camel-kafka producers (or the reverse).
    @ParameterizedTest(name = "SASL_PLAINTEXT {0}")
    @ValueSource(strings = {"PLAIN", "SCRAM-SHA-512"})
    void givenSasl_whenThePipelineRuns_thenItPublishesThroughTheSaslListener(String mechanism) throws Exception {
        publishesWith(kafka.sasl(mechanism, SecuredKafka.USER, SecuredKafka.PASSWORD));
    }

    @Test
    void givenSaslSslScram_whenThePipelineRuns_thenItPublishesThroughTheSaslSslListener() throws Exception {
        publishesWith(kafka.saslSsl());
    }

    @Test
    void givenMutualTls_whenThePipelineRuns_thenItPublishesThroughTheSslListener() throws Exception {
        publishesWith(kafka.mutualTls());
    }

    private void publishesWith(Map<String, String> security) throws Exception {
        try (EmSimulator em = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"))) {
            SimSession s = session();
            em.estate().put(s);
            // the harness's own consumer reads through the PLAINTEXT listener; the pipeline gets the secured one
            try (PipelineHarness pipeline = new PipelineHarness(kafka.bootstrapServers(), dir.resolve("state"), em.baseUrl())) {
                security.forEach(pipeline::with);
                // the startup check, as the launcher runs it, with the same settings
                Settings settings = Settings.load(Map.of(), harnessKeys(security));
                KafkaStartupCheck.from(settings).awaitBrokers();
                long t0 = System.nanoTime();
                pipeline.start();
                var records = pipeline.await(pipeline.changes, rs -> rs.stream().anyMatch(r -> r.key().equals(s.uid())));
                System.out.printf("[SecuredKafkaIT] %s: first record after %d ms%n", security.get("kafka.security-protocol")
                        + " " + security.getOrDefault("kafka.sasl.mechanism", "mTLS"), (System.nanoTime() - t0) / 1_000_000);
                assertThat(records).isNotEmpty();
            }
        }
    }

    // Guards: topics created without compaction, or not at all, when TOPICS_CREATE=true.
    @Test
    void givenTopicsCreate_whenTheStartupCheckRuns_thenTheMissingTopicsExistAndThreeAreCompacted() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> o = harnessKeys(kafka.sasl("SCRAM-SHA-512", SecuredKafka.USER, SecuredKafka.PASSWORD));
        for (String key : List.of("topic.completed", "topic.failed", "topic.changes", "topic.dlq", "topic.heartbeat",
                "topic.job-alerts", "topic.state")) {
            o.put(key, key.substring(6) + "-" + suffix);
        }
        o.put("topics.partitions", "2");
        Settings settings = Settings.load(Map.of(), o);
        KafkaStartupCheck.from(settings).run(TopicPlan.from(settings));

        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            var described = admin.describeTopics(o.entrySet().stream().filter(e -> e.getKey().startsWith("topic."))
                    .map(Map.Entry::getValue).toList()).allTopicNames().get();
            assertThat(described).hasSize(7);
            described.values().forEach(d -> assertThat(d.partitions()).hasSize(2));
            for (String key : List.of("topic.heartbeat", "topic.job-alerts", "topic.state", "topic.dlq")) {
                ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, o.get(key));
                String policy = admin.describeConfigs(List.of(r)).all().get().get(r).get("cleanup.policy").value();
                assertThat(policy).as(key).isEqualTo(key.equals("topic.dlq") ? "delete" : "compact");
            }
        }
        // a second start finds them and creates nothing
        KafkaStartupCheck.from(settings).run(TopicPlan.from(settings));
    }

    // Guards: a wrong SASL password retried silently until the startup timeout, reported as "unreachable",
    // or echoed; DESIGN: Kafka not usable at startup is exit 3 with one line.
    @Test
    void givenWrongKafkaPassword_whenLaunched_thenExitsWithCode3AndOneLineNamingTheUser() throws Exception {
        Map<String, String> env = childEnv(kafka.sasl("SCRAM-SHA-512", SecuredKafka.USER, "Wrong-Pw-55!"));
        try (LauncherProcess p = LauncherProcess.start(env, dir)) {
            int code = p.awaitExit(QUICK_EXIT);
            System.out.printf("[SecuredKafkaIT] wrong password: exit %d after %d ms: %s%n", code, p.elapsed().toMillis(),
                    p.stderr().trim());
            assertThat(code).isEqualTo(3);
            assertThat(p.stderrLines()).singleElement().asString()
                    .startsWith("veeam-session-events: Kafka at " + kafka.saslBootstrapServers() + " refused the credentials")
                    .contains("SCRAM-SHA-512 as " + SecuredKafka.USER);
            assertThat(p.stdout() + p.stderr()).doesNotContain("Wrong-Pw-55!");
        }
    }

    // Guards: a user without CREATE ending in a running process that publishes nothing, or a stack trace.
    @Test
    void givenUserWithoutCreatePermission_whenLaunched_thenExitsWithCode2NamingTheTopic() throws Exception {
        String dlq = "dlq-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> env = childEnv(kafka.sasl("SCRAM-SHA-512", SecuredKafka.LIMITED_USER, SecuredKafka.LIMITED_PASSWORD));
        env.put("TOPIC_COMPLETED", dlq); // the first topic the plan creates
        try (LauncherProcess p = LauncherProcess.start(env, dir)) {
            int code = p.awaitExit(QUICK_EXIT);
            System.out.printf("[SecuredKafkaIT] no CREATE: exit %d after %d ms: %s%n", code, p.elapsed().toMillis(),
                    p.stderr().trim());
            assertThat(code).isEqualTo(2);
            assertThat(p.stderrLines()).singleElement().asString()
                    .isEqualTo("veeam-session-events: cannot create topic " + dlq + ": the Kafka user '" + SecuredKafka.LIMITED_USER
                            + "' is not authorized (needs CREATE on the topic or cluster), or create it beforehand / set TOPICS_CREATE=false");
            assertThat(p.stdout() + p.stderr()).doesNotContain(SecuredKafka.LIMITED_PASSWORD);
        }
    }

    // Guards: a secret file that cannot be read starting the app without a password, or a message without the variable.
    @Test
    void givenUnreadablePasswordFile_whenLaunched_thenExitsWithCode2NamingTheVariable() throws Exception {
        Map<String, String> env = childEnv(kafka.sasl("SCRAM-SHA-512", SecuredKafka.USER, SecuredKafka.PASSWORD));
        env.remove("KAFKA_SASL_PASSWORD");
        env.put("KAFKA_SASL_PASSWORD_FILE", dir.resolve("no-such-secret").toString());
        try (LauncherProcess p = LauncherProcess.start(env, dir)) {
            int code = p.awaitExit(QUICK_EXIT);
            System.out.printf("[SecuredKafkaIT] unreadable secret file: exit %d after %d ms: %s%n", code,
                    p.elapsed().toMillis(), p.stderr().trim());
            assertThat(code).isEqualTo(2);
            assertThat(p.stderrLines()).singleElement().asString()
                    .startsWith("veeam-session-events: configuration error: KAFKA_SASL_PASSWORD_FILE ");
        }
    }

    // Guards: the password file read with its trailing newline (a password that never matches) or not at all.
    @Test
    void givenPasswordFileWithTrailingNewline_whenTheStartupCheckRuns_thenTheBrokerAcceptsIt() throws Exception {
        Path secret = Files.writeString(dir.resolve("kafka-password"), SecuredKafka.PASSWORD + "\n");
        Map<String, String> o = harnessKeys(kafka.sasl("SCRAM-SHA-512", SecuredKafka.USER, ""));
        o.remove("kafka.sasl.password");
        o.put("kafka.sasl.password-file", secret.toString());
        KafkaStartupCheck.from(Settings.load(Map.of(), o)).awaitBrokers();
    }

    private static Map<String, String> harnessKeys(Map<String, String> security) {
        Map<String, String> o = new HashMap<>(security);
        o.put("kafka.startup-timeout", "20s");
        return o;
    }

    /** The launcher's environment: an EM that does not listen, the given Kafka keys as variables. */
    private Map<String, String> childEnv(Map<String, String> security) {
        Map<String, String> env = new HashMap<>();
        env.put("EM_URL", "http://127.0.0.1:9/api");
        env.put("EM_USERNAME", "svc-veeam");
        env.put("EM_PASSWORD", "em-pw");
        env.put("KAFKA_STARTUP_TIMEOUT", "20s");
        env.put("STATE_DIR", dir.resolve("state").toString());
        security.forEach((k, v) -> env.put(Settings.envName(k), v));
        return env;
    }

    private static SimSession session() {
        Instant created = Instant.now().minus(Duration.ofMinutes(10));
        return new SimSession(SimSession.BACKUP, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                "Nightly", "Backup", created).setState("Working").setResult("None");
    }
}

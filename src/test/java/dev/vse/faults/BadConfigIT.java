package dev.vse.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.SimSession;
import dev.vse.simulator.SimulatorOptions;
import dev.vse.testkit.EmbeddedKafka;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The launcher as operators meet it: a child JVM started with a controlled environment. A bad setting must end
 * the process at once, non-zero, with exactly one line on stderr that names the variable to fix, and never
 * with the password on screen. Unreachable Kafka at startup ends it too (after a bounded wait); SIGTERM on a
 * running pipeline is a clean stop with exit code 0.
 */
class BadConfigIT {
    private static final String PASSWORD = "Zx9-Secret-Pa55word!";
    /** A JVM start plus config validation; generous for 2 shared CPUs, still "at once" for an operator. */
    private static final Duration QUICK_EXIT = Duration.ofSeconds(30);

    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    /** Everything valid except that nothing listens on the EM or Kafka side; each case breaks one variable. */
    private Map<String, String> validEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("EM_URL", "http://127.0.0.1:9/api");
        env.put("EM_USERNAME", "svc-veeam");
        env.put("EM_PASSWORD", PASSWORD);
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + closedPort());
        env.put("KAFKA_STARTUP_TIMEOUT", "3s");
        env.put("STATE_DIR", dir.resolve("state").toString());
        return env;
    }

    static Stream<Arguments> badSettings() {
        return Stream.of(
                Arguments.of("EM_URL missing", "EM_URL", null),
                Arguments.of("EM_URL not a URL", "EM_URL", "not a url"),
                Arguments.of("EM_URL not http(s)", "EM_URL", "ftp://x"),
                Arguments.of("EM_USERNAME missing", "EM_USERNAME", null),
                Arguments.of("EM_PASSWORD missing", "EM_PASSWORD", null),
                Arguments.of("truststore file missing", "EM_TRUSTSTORE", "/nonexistent.p12"),
                Arguments.of("POLL_INTERVAL not a duration", "POLL_INTERVAL", "soon"),
                Arguments.of("POLL_INTERVAL zero", "POLL_INTERVAL", "0s"),
                Arguments.of("INITIAL_LOAD_POLICY unknown", "INITIAL_LOAD_POLICY", "everything"),
                Arguments.of("KAFKA_STARTUP_TIMEOUT not a duration", "KAFKA_STARTUP_TIMEOUT", "later"),
                Arguments.of("KAFKA_SECURITY_PROTOCOL unknown", "KAFKA_SECURITY_PROTOCOL", "TLS"),
                Arguments.of("TOPICS_PARTITIONS not a number", "TOPICS_PARTITIONS", "many"),
                Arguments.of("STATE_STORE unknown", "STATE_STORE", "redis"),
                Arguments.of("STATE_KAFKA_TRANSACTIONAL_ID_PREFIX with a space", "STATE_KAFKA_TRANSACTIONAL_ID_PREFIX", "my app"));
    }

    // Guards: a typo in the environment that surfaces as a stack trace, a hang, exit code 0 (an orchestrator
    // would not notice), a message that does not say which variable to fix, or the password echoed on screen.
    @ParameterizedTest(name = "{0}")
    @MethodSource("badSettings")
    void givenOneBadSetting_whenLaunched_thenExitsNonZeroAtOnceWithOneLineNamingTheVariable(
            String name, String variable, String value) throws Exception {
        Map<String, String> env = validEnv();
        if (value == null) {
            env.remove(variable);
        } else {
            env.put(variable, value);
        }
        try (LauncherProcess p = LauncherProcess.start(env, dir)) {
            int code = p.awaitExit(QUICK_EXIT);
            System.out.printf("[BadConfigIT] %s: exit %d after %d ms: %s%n", name, code, p.elapsed().toMillis(), p.stderr().trim());

            assertThat(code).as("exit code (2 = configuration error)").isEqualTo(2);
            assertThat(p.stderrLines()).as("stderr").singleElement().satisfies(line -> {
                assertThat(line).startsWith("veeam-session-events: configuration error: ");
                assertThat(line).contains(variable);
            });
            assertNoPassword(p);
        }
    }

    // Guards: EM_PASSWORD_FILE pointing nowhere (a secret not mounted) starting a pipeline without a password.
    @Test
    void givenUnreadableEmPasswordFile_whenLaunched_thenExitsWithCode2NamingTheVariable() throws Exception {
        Map<String, String> env = validEnv();
        env.remove("EM_PASSWORD");
        env.put("EM_PASSWORD_FILE", dir.resolve("not-mounted").toString());
        try (LauncherProcess p = LauncherProcess.start(env, dir)) {
            int code = p.awaitExit(QUICK_EXIT);
            System.out.printf("[BadConfigIT] EM_PASSWORD_FILE unreadable: exit %d after %d ms: %s%n", code,
                    p.elapsed().toMillis(), p.stderr().trim());
            assertThat(code).isEqualTo(2);
            assertThat(p.stderrLines()).singleElement().asString()
                    .startsWith("veeam-session-events: configuration error: EM_PASSWORD_FILE ");
        }
    }

    // Guards: a truststore that exists but is not one (wrong file, wrong password) failing deep inside the
    // Camel start with a stack trace, or a process that keeps running without any EM connection.
    @Test
    void givenTruststoreThatIsNotAKeystore_whenLaunched_thenExitsNonZeroWithOneLineNamingTheVariable() throws Exception {
        Path garbage = Files.writeString(dir.resolve("em-ca.p12"), "this is not a PKCS12 file\n");
        Map<String, String> env = validEnv();
        env.put("EM_URL", "https://127.0.0.1:9/api");
        env.put("EM_TRUSTSTORE", garbage.toString());
        env.put("EM_TRUSTSTORE_PASSWORD", "Trust-Store-Pw-77!");
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        try (LauncherProcess p = LauncherProcess.start(env, dir)) {
            int code = p.awaitExit(QUICK_EXIT);
            System.out.printf("[BadConfigIT] garbage truststore: exit %d after %d ms: %s%n", code, p.elapsed().toMillis(),
                    p.stderr().trim());

            assertThat(code).as("exit code (2 = configuration error)").isEqualTo(2);
            assertThat(p.stderrLines()).singleElement().asString()
                    .startsWith("veeam-session-events: configuration error: EM_TRUSTSTORE");
            assertNoPassword(p);
            assertThat(p.stdout() + p.stderr()).doesNotContain("Trust-Store-Pw-77!");
        }
    }

    // Guards: a wrong KAFKA_BOOTSTRAP_SERVERS giving a process that looks alive but never publishes (the
    // producers retry silently forever); DESIGN: "non-zero with a one-line reason on unreachable Kafka at startup".
    @Test
    void givenNoBrokerListening_whenLaunched_thenExitsWithCode3AndOneLineAfterTheStartupTimeout() throws Exception {
        Map<String, String> env = validEnv();
        String bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS");
        try (LauncherProcess p = LauncherProcess.start(env, dir)) {
            int code = p.awaitExit(QUICK_EXIT.plusSeconds(3));
            System.out.printf("[BadConfigIT] Kafka unreachable: exit %d after %d ms: %s%n", code, p.elapsed().toMillis(),
                    p.stderr().trim());

            assertThat(code).isEqualTo(3);
            assertThat(p.stderrLines()).singleElement().asString()
                    .startsWith("veeam-session-events: Kafka at " + bootstrap + " not reachable after 3s: ");
            assertNoPassword(p);
        }
    }

    // Guards: SIGTERM (docker stop, systemctl stop, Kubernetes) reported as a failure (143) although the
    // pipeline stopped cleanly, which makes restart policies and alerting treat every deploy as a crash.
    @Test
    void givenRunningPipeline_whenSigterm_thenStopsCleanlyWithExitCode0() throws Exception {
        String topic = "changes-" + UUID.randomUUID().toString().substring(0, 8);
        try (EmSimulator em = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1")
                .withCredentials("svc-veeam", PASSWORD));
             KafkaConsumer<String, byte[]> consumer = kafka.consumer(topic)) {
            SimSession s = new SimSession(SimSession.BACKUP, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                    "Nightly", "Backup", Instant.now().minus(Duration.ofMinutes(5))).setState("Working").setResult("None");
            em.estate().put(s);
            Map<String, String> env = validEnv();
            env.put("EM_URL", em.baseUrl());
            env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            env.put("KAFKA_STARTUP_TIMEOUT", "30s");
            env.put("POLL_INTERVAL", "1s");
            env.put("TOPIC_CHANGES", topic);
            try (LauncherProcess p = LauncherProcess.start(env, dir)) {
                Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
                        !p.isAlive() || consumer.poll(Duration.ofMillis(100)).records(topic).iterator().hasNext());
                assertThat(p.isAlive()).as("running; stderr: %s; stdout tail: %s", p.stderr(),
                        LauncherProcess.tail(p.stdout(), 6000)).isTrue();

                p.terminate();
                int code = p.awaitExit(Duration.ofSeconds(40));
                System.out.printf("[BadConfigIT] SIGTERM: exit %d, %d ms after start%n", code, p.elapsed().toMillis());

                assertThat(code).as("exit code after SIGTERM; stdout tail: %s", LauncherProcess.tail(p.stdout(), 3000))
                        .isZero();
                assertThat(p.stderrLines()).isEmpty();
                assertThat(p.stdout()).contains("EM em01: logged out");
                assertNoPassword(p);
            }
        }
    }

    private static void assertNoPassword(LauncherProcess p) {
        assertThat(p.stdout()).doesNotContain(PASSWORD);
        assertThat(p.stderr()).doesNotContain(PASSWORD);
    }

    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

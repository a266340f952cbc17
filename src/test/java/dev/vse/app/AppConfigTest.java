package dev.vse.app;

import dev.vse.em.EmSource;
import dev.vse.util.Durations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration as users give it: environment variables over the bundled defaults, one-line errors. */
class AppConfigTest {
    static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>(Map.of("EM_URL", "https://em01:9398/api", "EM_USERNAME", "svc",
                "EM_PASSWORD", "Top-Secret-1"));
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                m.remove(kv[i]);
            } else {
                m.put(kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    static AppConfig load(Map<String, String> env) {
        return AppConfig.from(Settings.load(env, Map.of()));
    }

    @Test
    void contractVariables_configureTheFirstEm() {
        AppConfig c = load(env("KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092", "POLL_INTERVAL", "2m", "STATE_DIR", "/var/lib/vse"));
        assertThat(c.ems()).singleElement().satisfies(em -> {
            assertThat(em.id()).isEqualTo("em01");
            assertThat(em.server().baseUrl()).isEqualTo("https://em01:9398/api");
            assertThat(em.server().username()).isEqualTo("svc");
            assertThat(em.sessionTypes()).containsExactly("BackupJobSession", "ReplicaJobSession");
        });
        assertThat(c.kafkaBootstrapServers()).isEqualTo("k1:9092,k2:9092");
        assertThat(c.pollInterval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.stateDir()).hasToString("/var/lib/vse");
        assertThat(c.topics().completed()).isEqualTo("veeam.em.session.completed");
        assertThat(c.topics().dlq()).isEqualTo("veeam.em.dlq");
        assertThat(c.toString()).doesNotContain("Top-Secret-1");
    }

    @Test
    void indexedVariables_addMoreEmServers_inheritingOptionalSettings() {
        AppConfig c = load(env("EM_READ_TIMEOUT", "20s", "EM_1_URL", "http://em02:9399/api", "EM_1_USERNAME", "other",
                "EM_1_PASSWORD", "x", "EM_2_ID", "dr", "EM_2_URL", "http://em03:9399/api", "EM_2_USERNAME", "u",
                "EM_2_PASSWORD", "y", "EM_2_SESSION_TYPES", "ReplicaJobSession"));
        assertThat(c.ems()).extracting(EmSource::id).containsExactly("em01", "em02", "dr");
        assertThat(c.ems().get(1).server().readTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.ems().get(2).sessionTypes()).containsExactly("ReplicaJobSession");
    }

    @Test
    void indexedVariables_beyond32_areRead_200EmsInOneProcess() {
        AppConfig c = load(env("EM_33_URL", "http://em34:9399/api", "EM_33_USERNAME", "u", "EM_33_PASSWORD", "p",
                "EM_199_URL", "http://em200:9399/api", "EM_199_USERNAME", "u", "EM_199_PASSWORD", "p"));
        assertThat(c.ems()).extracting(EmSource::id).containsExactly("em01", "em34", "em200");
    }

    @Test
    void badValues_failWithOneLineNamingTheVariable() {
        assertThatThrownBy(() -> load(env("EM_URL", null))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("EM_URL is not set");
        assertThatThrownBy(() -> load(env("EM_URL", "ftp://em01/api"))).hasMessageContaining("EM_URL 'ftp://em01/api' is not an http(s) URL");
        assertThatThrownBy(() -> load(env("EM_URL", "not a url"))).hasMessageContaining("EM_URL");
        assertThatThrownBy(() -> load(env("EM_PASSWORD", null))).hasMessageStartingWith("EM_PASSWORD is not set");
        assertThatThrownBy(() -> load(env("POLL_INTERVAL", "soon"))).hasMessageStartingWith("POLL_INTERVAL").hasMessageContaining("30s");
        assertThatThrownBy(() -> load(env("POLL_INTERVAL", "0s"))).hasMessageStartingWith("POLL_INTERVAL");
        assertThatThrownBy(() -> load(env("EM_TRUSTSTORE", "/nonexistent.p12"))).hasMessage("EM_TRUSTSTORE /nonexistent.p12 is not a readable file");
        assertThatThrownBy(() -> load(env("INITIAL_LOAD_POLICY", "sometimes"))).hasMessageStartingWith("INITIAL_LOAD_POLICY");
        assertThatThrownBy(() -> load(env("EM_SESSION_TYPES", "RestoreSession"))).hasMessageContaining("EM_SESSION_TYPES");
        assertThatThrownBy(() -> load(env("EM_1_URL", "http://x/api", "EM_1_ID", "em01", "EM_1_USERNAME", "a", "EM_1_PASSWORD", "b")))
                .hasMessageContaining("share the id 'em01'");
        assertThatThrownBy(() -> load(env("EM_PAGE_SIZE", "lots"))).hasMessageContaining("EM_PAGE_SIZE");
    }

    @Test
    void durations_acceptShortAndIsoForms() {
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> Durations.parse("1 fortnight")).isInstanceOf(IllegalArgumentException.class);
    }

    // --- one place for defaults -------------------------------------------------------------------

    /** Bundled defaults that remember every key the code asks for (Settings reads a key here unless env/overrides set it). */
    static final class AskedKeys extends Properties {
        final Set<String> asked = new TreeSet<>();

        AskedKeys(Map<String, String> values) {
            putAll(Settings.bundled());
            putAll(values);
        }

        @Override
        public String getProperty(String key) {
            asked.add(key);
            return super.getProperty(key);
        }
    }

    @Test
    void everyKeyTheConfigurationReads_hasALineInApplicationProperties(@TempDir Path dir) throws IOException {
        Set<String> lines = propertyLines();
        Map<String, String> required = Map.of("em.url", "https://em01:9398/api", "em.username", "svc", "em.password", "pw",
                "em.1.url", "https://em02:9398/api", "em.1.username", "svc", "em.1.password", "pw");
        AskedKeys plain = new AskedKeys(required);
        AppConfig c = AppConfig.from(new Settings(plain, Map.of(), Map.of()));
        KafkaStartupCheck.from(new Settings(plain, Map.of(), Map.of()));
        TopicPlan.from(new Settings(plain, Map.of(), Map.of()));
        StateStoreSettings.from(new Settings(plain, Map.of(), Map.of()));
        // the Alertmanager bridge reads its keys only when ALERTMANAGER_URL is set
        AskedKeys withAlertmanager = new AskedKeys(Map.of("alertmanager.url", "http://am:9093"));
        assertThat(AlertmanagerSettings.from(new Settings(withAlertmanager, Map.of(), Map.of()))).isPresent();
        plain.asked.addAll(withAlertmanager.asked);
        // the cluster keys (cluster.file-root matters with the file service only)
        AskedKeys withCluster = new AskedKeys(Map.of("cluster.service", "file", "cluster.file-root", dir.toString()));
        dev.vse.cluster.ClusterSettings.from(new Settings(withCluster, Map.of(), Map.of()));
        plain.asked.addAll(withCluster.asked);
        // the truststore keys are read only when a truststore is given; this one is not a truststore, so it fails after
        Path junk = Files.writeString(dir.resolve("junk.p12"), "not a truststore");
        AskedKeys withTruststore = new AskedKeys(Map.of("em.url", "https://em01:9398/api", "em.username", "svc",
                "em.password", "pw", "em.truststore", junk.toString()));
        assertThatThrownBy(() -> AppConfig.from(new Settings(withTruststore, Map.of(), Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("EM_TRUSTSTORE:");

        Set<String> asked = new TreeSet<>(plain.asked);
        asked.addAll(withTruststore.asked);
        // em.N.* are the first EM's keys with an index (inherited from em.*): the file documents them as em.*
        Set<String> keys = asked.stream().map(k -> k.replaceFirst("^em\\.\\d+\\.", "em.")).collect(Collectors.toCollection(TreeSet::new));
        assertThat(keys).as("keys read").contains("em.id", "em.read-timeout", "em.page-size", "em.truststore-type",
                "em.job-names.exclude", "state.dir", "events.console", "initial-load.policy", KafkaStartupCheck.TIMEOUT_KEY);
        assertThat(lines).as("keys with a line in application.properties").containsAll(keys);
    }

    @Test
    void bundledDefaults_areTheOnlyDefaults_withoutThemNothingButTheComputedIdsIsFilledIn() {
        Properties p = new Properties();
        p.putAll(Map.of("em.url", "https://em01:9398/api", "em.username", "svc", "em.password", "pw",
                "kafka.bootstrap-servers", "k:9092", "poll.interval", "1s"));
        // no Java fallback hides a missing bundled value: the first one AppConfig needs is named
        assertThatThrownBy(() -> AppConfig.from(new Settings(p, Map.of(), Map.of()))).isInstanceOf(ConfigException.class)
                .hasMessage("EM_ID is not set: give an id such as em01");
        assertThatThrownBy(() -> KafkaStartupCheck.from(new Settings(p, Map.of(), Map.of())))
                .hasMessageStartingWith("KAFKA_STARTUP_TIMEOUT is not set");
    }

    /** Keys of the bundled application.properties, parsed from its text (every key=value line). */
    static Set<String> propertyLines() throws IOException {
        try (InputStream in = AppConfigTest.class.getResourceAsStream("/application.properties")) {
            List<String> text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).lines().toList();
            return text.stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#") && l.contains("="))
                    .map(l -> l.substring(0, l.indexOf('=')).strip()).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}

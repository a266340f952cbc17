package dev.vse.app;

import dev.vse.em.EmSource;
import dev.vse.util.Durations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
}

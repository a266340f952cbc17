package dev.vse.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vse.detect.FileStateStore;
import dev.vse.detect.KafkaStateStore;
import dev.vse.detect.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreSettingsTest {
    private static Settings settings(Map<String, String> overrides) {
        return Settings.load(Map.of(), overrides);
    }

    @Test
    void defaults_fileStore_prefixAndTopicFromApplicationProperties() {
        StateStoreSettings s = StateStoreSettings.from(settings(Map.of()));

        assertThat(s.kafka()).isFalse();
        assertThat(s.value()).isEqualTo("file");
        assertThat(s.topic()).isEqualTo("veeam.em.state");
        assertThat(s.transactionalIdPrefix()).isEqualTo(KafkaStateStore.DEFAULT_TRANSACTIONAL_ID_PREFIX);
        assertThat(s.loadTimeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void kafka_opensTheKafkaStore_transactionalIdIsPrefixPlusEmId(@TempDir Path dir) {
        Settings st = settings(Map.of("state.store", "Kafka", "state.kafka.transactional-id-prefix", "vse-a.",
                "kafka.bootstrap-servers", "localhost:1"));
        StateStoreSettings s = StateStoreSettings.from(st);

        try (StateStore store = s.open(dir, KafkaClientSettings.from(st), st)) {
            assertThat(store).isInstanceOf(KafkaStateStore.class);
            assertThat(((KafkaStateStore) store).transactionalId("em01")).isEqualTo("vse-a.em01");
            assertThat(store.writesWithRecords()).isTrue();
        }
        try (StateStore file = StateStoreSettings.from(settings(Map.of())).open(dir, KafkaClientSettings.from(st), st)) {
            assertThat(file).isInstanceOf(FileStateStore.class);
            assertThat(file.writesWithRecords()).isFalse();
        }
    }

    @Test
    void badValues_areConfigErrorsNamingTheVariable() {
        assertThatThrownBy(() -> StateStoreSettings.from(settings(Map.of("state.store", "redis"))))
                .isInstanceOf(ConfigException.class).hasMessage("STATE_STORE 'redis' must be file or kafka");
        assertThatThrownBy(() -> StateStoreSettings.from(settings(Map.of("state.kafka.transactional-id-prefix", "a b"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("STATE_KAFKA_TRANSACTIONAL_ID_PREFIX 'a b'");
        assertThatThrownBy(() -> StateStoreSettings.from(settings(Map.of("state.kafka.load-timeout", "soon"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("STATE_KAFKA_LOAD_TIMEOUT");
    }

    @Test
    void partitionOfAnEm_isStableAndWithinTheCount() {
        for (int n = 1; n <= 12; n++) {
            int p = KafkaStateStore.partitionOf("em01", n);
            assertThat(p).isBetween(0, n - 1).isEqualTo(KafkaStateStore.partitionOf("em01", n));
        }
    }
}

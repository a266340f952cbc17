package dev.vse.app;

import dev.vse.detect.FileStateStore;
import dev.vse.detect.KafkaStateStore;
import dev.vse.detect.StateStore;
import dev.vse.util.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Where the state lives ({@code STATE_STORE}): {@code file}, the embedded default (one folder per EM under
 * {@code STATE_DIR}), or {@code kafka}: the compacted {@code TOPIC_STATE}, written in the same Kafka transaction as a
 * page's events by a producer whose {@code transactional.id} is {@code STATE_KAFKA_TRANSACTIONAL_ID_PREFIX} + EM id;
 * taking an EM reads its partition back within {@code STATE_KAFKA_LOAD_TIMEOUT}. Kept apart from {@link AppConfig}.
 */
public record StateStoreSettings(Kind kind, String topic, String transactionalIdPrefix, Duration loadTimeout) {
    public enum Kind { FILE, KAFKA }

    static final String STORE = "state.store";
    static final String TOPIC = "topic.state";
    static final String PREFIX = "state.kafka.transactional-id-prefix";
    static final String LOAD_TIMEOUT = "state.kafka.load-timeout";

    public static StateStoreSettings from(Settings s) {
        String v = s.get(STORE, "file").trim().toLowerCase(Locale.ROOT);
        Kind kind = switch (v) {
            case "file" -> Kind.FILE;
            case "kafka" -> Kind.KAFKA;
            default -> throw new ConfigException(Settings.envName(STORE) + " '" + s.get(STORE) + "' must be file or kafka");
        };
        String topic = s.get(TOPIC, "veeam.em.state").trim();
        String prefix = s.get(PREFIX, KafkaStateStore.DEFAULT_TRANSACTIONAL_ID_PREFIX).trim();
        if (kind == Kind.KAFKA && topic.isEmpty()) {
            throw new ConfigException(Settings.envName(TOPIC) + " is empty: STATE_STORE=kafka needs a topic name");
        }
        if (prefix.length() > 200 || !prefix.matches("[A-Za-z0-9._-]*")) {
            throw new ConfigException(Settings.envName(PREFIX) + " '" + prefix
                    + "' may hold letters, digits, '.', '_' and '-' only (at most 200)");
        }
        Duration load;
        try {
            load = Durations.parse(s.get(LOAD_TIMEOUT, "2m").trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Settings.envName(LOAD_TIMEOUT) + ": " + e.getMessage());
        }
        if (load.toMillis() < 1000) {
            throw new ConfigException(Settings.envName(LOAD_TIMEOUT) + " must be at least 1s, got '" + s.get(LOAD_TIMEOUT) + "'");
        }
        return new StateStoreSettings(kind, topic, prefix, load);
    }

    public boolean kafka() {
        return kind == Kind.KAFKA;
    }

    /** {@code file} or {@code kafka}: what the publish route's choice reads ({@code {{state.store}}}). */
    public String value() {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** Opens the configured store. */
    public StateStore open(Path stateDir, KafkaClientSettings kafka) {
        return kind == Kind.FILE ? new FileStateStore(stateDir)
                : new KafkaStateStore(kafka.clientProperties(), topic, transactionalIdPrefix, loadTimeout);
    }

    /** For the start-up log line. */
    public String describe(Path stateDir) {
        return kind == Kind.FILE ? stateDir.toAbsolutePath().toString()
                : "Kafka topic " + topic + " (transactional.id " + transactionalIdPrefix + "<emId>)";
    }
}

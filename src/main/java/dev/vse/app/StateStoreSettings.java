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

    /**
     * Opens the configured store; the Kafka store's producers get the timeouts of the app's camel-kafka producers
     * ({@code camel.component.kafka.delivery-timeout-ms}, {@code request-timeout-ms}, {@code max-block-ms},
     * {@code linger-ms}), so a page fails after the same time in both modes.
     */
    public StateStore open(Path stateDir, KafkaClientSettings kafka, Settings s) {
        if (kind == Kind.FILE) {
            return new FileStateStore(stateDir);
        }
        java.util.Properties producer = new java.util.Properties();
        for (String name : java.util.List.of("delivery-timeout-ms", "request-timeout-ms", "max-block-ms", "linger-ms")) {
            String v = s.get("camel.component.kafka." + name);
            if (v != null) {
                producer.put(name.replace('-', '.'), v.trim());
            }
        }
        return new KafkaStateStore(kafka.clientProperties(), producer, topic, transactionalIdPrefix, loadTimeout);
    }

    /** For the start-up log line. */
    public String describe(Path stateDir) {
        return kind == Kind.FILE ? stateDir.toAbsolutePath().toString()
                : "Kafka topic " + topic + " (transactional.id " + transactionalIdPrefix + "<emId>)";
    }
}

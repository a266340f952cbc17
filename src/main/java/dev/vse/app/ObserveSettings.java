package dev.vse.app;

import dev.vse.util.Durations;
import java.time.Duration;

/**
 * The operations settings: the heartbeat interval ({@code HEARTBEAT_INTERVAL}, default {@code 1m}, {@code 0} = off)
 * and topic ({@code TOPIC_HEARTBEAT}, default {@code veeam.em.heartbeat}). Kept apart from {@link AppConfig}.
 */
public record ObserveSettings(Duration heartbeatInterval, String heartbeatTopic) {
    public static final String DEFAULT_TOPIC = "veeam.em.heartbeat";

    public static ObserveSettings from(Settings s) {
        String v = s.get("heartbeat.interval", "1m").trim();
        Duration interval;
        if (v.equals("0")) {
            interval = Duration.ZERO;
        } else {
            try {
                interval = Durations.parse(v);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(Settings.envName("heartbeat.interval") + ": " + e.getMessage());
            }
            if (interval.isNegative() || interval.toMillis() < 100) {
                throw new ConfigException(Settings.envName("heartbeat.interval") + " must be 0 (off) or at least 100ms, got '" + v + "'");
            }
        }
        String topic = s.get("topic.heartbeat", DEFAULT_TOPIC).trim();
        if (topic.isEmpty()) {
            throw new ConfigException(Settings.envName("topic.heartbeat") + " is empty: give a topic name");
        }
        return new ObserveSettings(interval, topic);
    }

    public boolean heartbeatsOn() {
        return !heartbeatInterval.isZero();
    }
}

package dev.vse.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The topics the app writes and whether to create the missing ones at startup ({@code TOPICS_CREATE}), with
 * {@code TOPICS_PARTITIONS} / {@code TOPICS_REPLICATION_FACTOR} or, when unset, the broker's defaults. The
 * heartbeat, job-alert and state topics hold one current record per key: they are compacted.
 */
public record TopicPlan(boolean create, List<Topic> topics, Optional<Integer> partitions, Optional<Short> replicationFactor) {

    /** One topic; {@code compacted} means {@code cleanup.policy=compact}. */
    public record Topic(String name, String key, boolean compacted) { }

    static final List<String> DELETE_POLICY = List.of("topic.completed", "topic.failed", "topic.changes", "topic.dlq");
    static final List<String> COMPACTED = List.of("topic.heartbeat", "topic.job-alerts", "topic.state");

    public static TopicPlan from(Settings s) {
        List<Topic> topics = new ArrayList<>();
        for (String key : DELETE_POLICY) {
            topics.add(new Topic(required(s, key), key, false));
        }
        for (String key : COMPACTED) {
            topics.add(new Topic(required(s, key), key, true));
        }
        String create = required(s, "topics.create");
        if (!create.equalsIgnoreCase("true") && !create.equalsIgnoreCase("false")) {
            throw new ConfigException("TOPICS_CREATE '" + create + "' must be true or false");
        }
        Optional<Integer> partitions = Optional.ofNullable(s.get("topics.partitions"))
                .map(v -> (int) number("topics.partitions", v, Integer.MAX_VALUE));
        Optional<Short> rf = Optional.ofNullable(s.get("topics.replication-factor"))
                .map(v -> (short) number("topics.replication-factor", v, Short.MAX_VALUE));
        return new TopicPlan(Boolean.parseBoolean(create), List.copyOf(topics), partitions, rf);
    }

    private static String required(Settings s, String key) {
        String v = s.get(key);
        if (v == null) {
            throw new ConfigException(Settings.envName(key) + " is not set");
        }
        return v;
    }

    private static long number(String key, String v, long max) {
        try {
            long n = Long.parseLong(v);
            if (n < 1 || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(Settings.envName(key) + " '" + v + "' must be a whole number from 1 to " + max
                    + " (or unset for the broker's default)");
        }
    }
}

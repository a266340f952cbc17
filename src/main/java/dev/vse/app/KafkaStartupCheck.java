package dev.vse.app;

import dev.vse.util.Durations;
import dev.vse.util.OneLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before the routes start: are the Kafka brokers there at all, do they accept our credentials, and do our topics
 * exist? The producers would otherwise retry quietly forever, and a wrong {@code KAFKA_BOOTSTRAP_SERVERS} would
 * look like a running service that publishes nothing. Asks the cluster for its id with an {@link Admin} client
 * (with the same security settings as the producers, {@link KafkaClientSettings}), which retries within a bounded
 * total wait; then creates the missing topics of the {@link TopicPlan} when {@code TOPICS_CREATE} is true.
 */
public final class KafkaStartupCheck {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaStartupCheck.class);
    /** Key of the total wait; {@code KAFKA_STARTUP_TIMEOUT} in the environment. */
    public static final String TIMEOUT_KEY = "kafka.startup-timeout";

    private final KafkaClientSettings kafka;
    private final Duration timeout;

    public KafkaStartupCheck(KafkaClientSettings kafka, Duration timeout) {
        this.kafka = kafka;
        this.timeout = timeout;
    }

    /** The check configured in {@code settings}; a bad timeout or security setting is a {@link ConfigException}. */
    public static KafkaStartupCheck from(Settings settings) {
        String v = settings.get(TIMEOUT_KEY);
        if (v == null) {
            throw new ConfigException(Settings.envName(TIMEOUT_KEY) + " is not set: give a duration such as 30s");
        }
        Duration d;
        try {
            d = Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Settings.envName(TIMEOUT_KEY) + ": " + e.getMessage());
        }
        if (d.toMillis() < 1000) {
            throw new ConfigException(Settings.envName(TIMEOUT_KEY) + " must be at least 1s, got '" + v + "'");
        }
        return new KafkaStartupCheck(KafkaClientSettings.from(settings), d);
    }

    /** Returns when a broker answered; otherwise throws with a one-line reason naming the servers and the wait. */
    public void awaitBrokers() {
        run(null);
    }

    /**
     * {@link #awaitBrokers()}, then (when the plan says so) creates the topics that do not exist yet. Throws
     * {@link KafkaUnreachableException} (exit 3) or {@link TopicCreationRefusedException} (exit 2).
     */
    public void run(TopicPlan plan) {
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        Properties p = kafka.clientProperties();
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "veeam-session-events-startup-check");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(ms, 10_000));
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2000);
        Admin admin;
        try {
            admin = Admin.create(p);
        } catch (RuntimeException e) {
            // e.g. a bootstrap address that does not resolve or parse, or a keystore that cannot be loaded
            throw unreachable(reason(e));
        }
        try (admin) {
            answer(() -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms)).clusterId(), ms, "no answer");
            if (plan != null && plan.create()) {
                createTopics(admin, plan, ms);
            }
        }
    }

    /**
     * The answer to one Admin call within the startup timeout (plus 2 s for the call's own timeout to fire first);
     * no answer is {@code silence}, a failure the startup check's exception for it.
     */
    private <T> T answer(java.util.function.Supplier<KafkaFuture<T>> call, int ms, String silence) {
        try {
            return call.get().get(ms + 2000L, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable("interrupted");
        } catch (ExecutionException e) {
            throw failed(e.getCause() == null ? e : e.getCause());
        } catch (TimeoutException e) {
            throw unreachable(silence);
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }

    private void createTopics(Admin admin, TopicPlan plan, int ms) {
        Set<String> existing = answer(() -> admin.listTopics(new ListTopicsOptions().timeoutMs(ms)).names(), ms,
                "no answer to the topic list");
        List<NewTopic> missing = new ArrayList<>();
        for (TopicPlan.Topic t : plan.topics()) {
            if (!existing.contains(t.name()) && missing.stream().noneMatch(n -> n.name().equals(t.name()))) {
                NewTopic n = new NewTopic(t.name(), plan.partitions(), plan.replicationFactor());
                if (t.compacted()) {
                    n.configs(Map.of("cleanup.policy", "compact"));
                }
                missing.add(n);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        var result = admin.createTopics(missing, new CreateTopicsOptions().timeoutMs(ms));
        for (NewTopic n : missing) {
            try {
                result.values().get(n.name()).get(ms + 2000L, TimeUnit.MILLISECONDS);
                LOG.info("created Kafka topic {}{}", n.name(), n.configs() == null ? "" : " (compacted)");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unreachable("interrupted");
            } catch (TimeoutException e) {
                throw unreachable("no answer while creating topic " + n.name());
            } catch (ExecutionException e) {
                Throwable c = e.getCause() == null ? e : e.getCause();
                if (c instanceof TopicExistsException) {
                    continue; // another instance was quicker
                }
                throw refused(n.name(), c);
            }
        }
    }

    private TopicCreationRefusedException refused(String topic, Throwable c) {
        String why;
        if (c instanceof TopicAuthorizationException || c instanceof ClusterAuthorizationException) {
            why = "the Kafka user" + (kafka.saslUsername() == null ? "" : " '" + kafka.saslUsername() + "'")
                    + " is not authorized (needs CREATE on the topic or cluster)";
        } else if (c instanceof PolicyViolationException) {
            why = "the broker's topic policy refused it (" + reason(c) + ")";
        } else if (c instanceof InvalidReplicationFactorException) {
            why = "TOPICS_REPLICATION_FACTOR does not fit the cluster (" + reason(c) + ")";
        } else if (c instanceof InvalidPartitionsException) {
            why = "TOPICS_PARTITIONS was refused (" + reason(c) + ")";
        } else {
            why = "the broker refused it (" + c.getClass().getSimpleName() + ": " + reason(c) + ")";
        }
        return new TopicCreationRefusedException("cannot create topic " + topic + ": " + why
                + ", or create it beforehand / set TOPICS_CREATE=false");
    }

    private KafkaUnreachableException failed(Throwable t) {
        if (t instanceof SslAuthenticationException) {
            return new KafkaUnreachableException("Kafka at " + kafka.bootstrapServers() + " refused the TLS handshake ("
                    + kafka.describe() + "): " + reason(t));
        }
        if (t instanceof AuthenticationException) {
            return new KafkaUnreachableException("Kafka at " + kafka.bootstrapServers() + " refused the credentials ("
                    + kafka.describe() + "): " + reason(t));
        }
        return unreachable(reason(t));
    }

    private KafkaUnreachableException unreachable(String reason) {
        return new KafkaUnreachableException("Kafka at " + kafka.bootstrapServers() + " not reachable after "
                + format(timeout) + ": " + reason);
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static String reason(Throwable t) {
        return OneLine.message(t);
    }

    /** The brokers did not answer within the startup timeout, or refused our credentials. */
    public static final class KafkaUnreachableException extends RuntimeException {
        public KafkaUnreachableException(String message) {
            super(message);
        }
    }

    /** A missing topic could not be created (permissions, policy, replication factor): exit 2. */
    public static final class TopicCreationRefusedException extends RuntimeException {
        public TopicCreationRefusedException(String message) {
            super(message);
        }
    }
}

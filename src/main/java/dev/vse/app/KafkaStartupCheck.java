package dev.vse.app;

import dev.vse.util.Durations;
import dev.vse.util.OneLine;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Before the routes start: are the Kafka brokers there at all? The producers would otherwise retry quietly
 * forever, and a wrong {@code KAFKA_BOOTSTRAP_SERVERS} would look like a running service that publishes nothing.
 * Asks the cluster for its id with an {@link Admin} client, which retries within a bounded total wait.
 */
public final class KafkaStartupCheck {
    /** Key of the total wait; {@code KAFKA_STARTUP_TIMEOUT} in the environment. */
    public static final String TIMEOUT_KEY = "kafka.startup-timeout";

    private final String bootstrapServers;
    private final Duration timeout;

    public KafkaStartupCheck(String bootstrapServers, Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.timeout = timeout;
    }

    /** The check configured in {@code settings}; a bad timeout is a {@link ConfigException}. */
    public static KafkaStartupCheck from(Settings settings, String bootstrapServers) {
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
        return new KafkaStartupCheck(bootstrapServers, d);
    }

    /** Returns when a broker answered; otherwise throws with a one-line reason naming the servers and the wait. */
    public void awaitBrokers() {
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "veeam-session-events-startup-check");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(ms, 10_000));
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2000);
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms)).clusterId()
                    .get(ms + 2000L, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable("interrupted");
        } catch (ExecutionException e) {
            throw unreachable(reason(e.getCause() == null ? e : e.getCause()));
        } catch (TimeoutException e) {
            throw unreachable("no answer");
        } catch (RuntimeException e) {
            // e.g. a bootstrap address that does not resolve or parse: Admin.create refuses it
            throw unreachable(reason(e));
        }
    }

    private KafkaUnreachableException unreachable(String reason) {
        return new KafkaUnreachableException("Kafka at " + bootstrapServers + " not reachable after "
                + format(timeout) + ": " + reason);
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static String reason(Throwable t) {
        return OneLine.message(t);
    }

    /** The brokers did not answer within the startup timeout. */
    public static final class KafkaUnreachableException extends RuntimeException {
        public KafkaUnreachableException(String message) {
            super(message);
        }
    }
}

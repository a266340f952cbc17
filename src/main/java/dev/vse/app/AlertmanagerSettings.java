package dev.vse.app;

import dev.vse.util.Durations;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;

/**
 * The Alertmanager bridge's settings (docs/alertmanager.md): off unless {@code ALERTMANAGER_URL} is set. Then the
 * job alerts topic ({@code TOPIC_JOB_ALERTS}) is consumed by the group {@code ALERTMANAGER_GROUP_ID}, every open
 * incident is re-sent every {@code ALERTMANAGER_RESEND_INTERVAL}, and each POST waits at most
 * {@code ALERTMANAGER_TIMEOUT}. Every problem is a {@link ConfigException} naming the variable.
 *
 * @param alertsUrl the Alertmanager's {@code /api/v2/alerts} (the configured base URL, one trailing slash dropped)
 */
public record AlertmanagerSettings(URI alertsUrl, String topic, String groupId, Duration resendInterval, Duration timeout,
                                   String severity) {
    static final String URL = "alertmanager.url";
    static final String GROUP_ID = "alertmanager.group-id";
    static final String RESEND_INTERVAL = "alertmanager.resend-interval";
    static final String TIMEOUT = "alertmanager.timeout";
    static final String SEVERITY = "alertmanager.severity";
    static final String TOPIC = "topic.job-alerts";
    /** Path of Alertmanager's v2 alerts API below its base URL. */
    public static final String ALERTS_PATH = "/api/v2/alerts";

    /** Empty when {@code ALERTMANAGER_URL} is unset (the bridge is off); the other keys are read only when it is set. */
    public static Optional<AlertmanagerSettings> from(Settings s) {
        String url = s.get(URL);
        if (url == null) {
            return Optional.empty();
        }
        Duration resend = duration(s, RESEND_INTERVAL);
        if (resend.toMillis() < 1000) {
            throw new ConfigException(Settings.envName(RESEND_INTERVAL) + " must be at least 1s, got '" + s.get(RESEND_INTERVAL) + "'");
        }
        return Optional.of(new AlertmanagerSettings(alertsUrl(url), required(s, TOPIC, "a topic name"),
                required(s, GROUP_ID, "a consumer group id"), resend, duration(s, TIMEOUT),
                required(s, SEVERITY, "a severity label such as critical")));
    }

    /** {@code http(s)://host[:port][/prefix]} + {@code /api/v2/alerts}; a URL that already ends in it is kept. */
    static URI alertsUrl(String url) {
        String u = url.trim();
        try {
            URI base = new URI(u);
            if (base.getScheme() == null || !(base.getScheme().equalsIgnoreCase("http") || base.getScheme().equalsIgnoreCase("https"))
                    || base.getHost() == null || base.getQuery() != null || base.getFragment() != null || base.getUserInfo() != null) {
                throw new ConfigException(Settings.envName(URL) + " '" + u
                        + "' is not an http(s) URL with a host (and no user, query or fragment), e.g. http://alertmanager:9093");
            }
        } catch (URISyntaxException e) {
            throw new ConfigException(Settings.envName(URL) + " '" + u + "' is not a valid URL: " + e.getReason());
        }
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return URI.create(u.endsWith(ALERTS_PATH) ? u : u + ALERTS_PATH);
    }

    /** How long Alertmanager keeps an open alert active without hearing of it again: 4 resend intervals (as Prometheus). */
    public Duration activeFor() {
        return resendInterval.multipliedBy(4);
    }

    private static String required(Settings s, String key, String hint) {
        String v = s.get(key);
        if (v == null) {
            throw new ConfigException(Settings.envName(key) + " is not set: give " + hint);
        }
        return v;
    }

    private static Duration duration(Settings s, String key) {
        String v = required(s, key, "a duration such as 1m");
        try {
            Duration d = Durations.parse(v);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("'" + v + "' must be positive");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Settings.envName(key) + ": " + e.getMessage());
        }
    }
}

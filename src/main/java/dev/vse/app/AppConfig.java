package dev.vse.app;

import dev.vse.util.Durations;
import dev.vse.detect.InitialLoadPolicy;
import dev.vse.em.EmServerConfig;
import dev.vse.em.EmSource;
import dev.vse.em.EmTls;
import dev.vse.event.Topics;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The typed, validated configuration of the pipeline. Every problem is a {@link ConfigException} whose
 * message names the variable to fix; nothing here ever prints a password.
 */
public record AppConfig(List<EmSource> ems, Duration pollInterval, Duration lagMargin, Duration initialLookback,
                        Duration sweepInterval, Duration sweepLookback, int rereadLimit,
                        int pollRetries, InitialLoadPolicy initialLoadPolicy, boolean emitProgress,
                        boolean consoleEvents, Path stateDir, Duration retention, String kafkaBootstrapServers,
                        Topics topics, String routesDir, boolean enrichTasks, boolean retryAware,
                        Duration jobsRefresh) {

    /**
     * Highest index scanned for additional EM servers ({@code em.1.url} ... {@code em.999.url}); was 32, which
     * silently ignored {@code em.33.*} and above (the benchmark configures 200 EMs in one process).
     */
    static final int MAX_EM_INDEX = 999;
    static final Set<String> SESSION_TYPES = Set.of("BackupJobSession", "ReplicaJobSession");

    public static AppConfig from(Settings s) {
        List<EmSource> ems = new ArrayList<>();
        ems.add(em(s, "em.", null));
        for (int i = 1; i <= MAX_EM_INDEX; i++) {
            if (s.has("em." + i + ".url")) {
                ems.add(em(s, "em." + i + ".", "em" + String.format("%02d", i + 1)));
            }
        }
        Set<String> ids = new HashSet<>();
        for (EmSource em : ems) {
            if (!ids.add(em.id())) {
                throw new ConfigException("two EM servers share the id '" + em.id() + "': give each em.N.id a distinct value");
            }
        }
        Duration interval = duration(s, "poll.interval");
        if (interval.toMillis() < 1000) {
            throw new ConfigException("POLL_INTERVAL must be at least 1s, got '" + s.get("poll.interval") + "'");
        }
        return new AppConfig(List.copyOf(ems), interval, duration(s, "poll.lag-margin"),
                duration(s, "poll.initial-lookback"), durationOrZero(s, "poll.sweep-interval"),
                duration(s, "poll.sweep-lookback"), integer(s, "poll.reread-limit", 1, 100_000),
                integer(s, "poll.retries", 0, 10),
                policy(s), bool(s, "events.emit-progress"), bool(s, "events.console"),
                Path.of(required(s, "state.dir", "a folder for the state store")), duration(s, "state.retention"),
                required(s, "kafka.bootstrap-servers", "e.g. localhost:9092"),
                new Topics(required(s, "topic.completed", ""), required(s, "topic.failed", ""),
                        required(s, "topic.changes", ""), required(s, "topic.dlq", ""),
                        required(s, "topic.job-alerts", "")),
                s.get("routes.dir"), bool(s, "events.enrich-tasks"), bool(s, "alerts.retry-aware"),
                duration(s, "alerts.jobs-refresh"));
    }

    private static EmSource em(Settings s, String prefix, String defaultId) {
        // the first EM's id comes from application.properties; em.N.id is never inherited, it defaults to em0<N+1>
        String id = defaultId == null ? required(s, prefix + "id", "an id such as em01") : s.get(prefix + "id", defaultId);
        String url = required(s, prefix + "url", "the EM API base URL, e.g. https://em01:9398/api");
        checkUrl(prefix + "url", url);
        String user = required(s, prefix + "username", "an EM account with a Portal Administrator role");
        String password = s.get(prefix + "password");
        if (password == null) {
            throw new ConfigException(Settings.envName(prefix + "password") + " is not set: give the password of "
                    + Settings.envName(prefix + "username"));
        }
        EmServerConfig.Builder b = EmServerConfig.builder(id, url)
                .credentials(user, password)
                .insecureTrustAll(bool(prefix + "insecure-trust-all", inheritRequired(s, prefix, "insecure-trust-all", "true or false")))
                .connectTimeout(durationOf(s, prefix, "connect-timeout"))
                .readTimeout(durationOf(s, prefix, "read-timeout"))
                .pageSize(integerOf(s, prefix, "page-size"));
        String truststore = inherit(s, prefix, "truststore");
        if (truststore != null) {
            b.truststore(readable(prefix + "truststore", truststore), inherit(s, prefix, "truststore-password"),
                    inheritRequired(s, prefix, "truststore-type", "PKCS12 or JKS"));
        }
        String pem = inherit(s, prefix, "ca-pem");
        if (pem != null) {
            b.caPem(readable(prefix + "ca-pem", pem));
        }
        List<String> types = list(inheritRequired(s, prefix, "session-types", "BackupJobSession and/or ReplicaJobSession"));
        for (String t : types) {
            if (!SESSION_TYPES.contains(t)) {
                throw new ConfigException(Settings.envName(prefix + "session-types") + " has '" + t
                        + "': use BackupJobSession and/or ReplicaJobSession");
            }
        }
        try {
            EmServerConfig server = b.build();
            checkTrustMaterial(prefix, server);
            return new EmSource(server, types, list(inherit(s, prefix, "job-types.include")),
                    list(inherit(s, prefix, "job-types.exclude")), list(inherit(s, prefix, "job-names.include")),
                    list(inherit(s, prefix, "job-names.exclude")));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /**
     * Reads the EM's CA file or truststore now, so that a wrong file or truststore password is a configuration
     * error at startup (naming the variable) instead of a failure inside the Camel start.
     */
    private static void checkTrustMaterial(String prefix, EmServerConfig server) {
        if (server.insecureTrustAll() || (server.caPemPath() == null && server.truststorePath() == null)) {
            return;
        }
        try {
            EmTls.from(server);
        } catch (IllegalArgumentException e) {
            String key = server.caPemPath() != null ? prefix + "ca-pem" : prefix + "truststore";
            throw new ConfigException(Settings.envName(key) + ": " + e.getMessage());
        }
    }

    /** An indexed EM inherits unset keys from the first EM ({@code em.*}, defaults in application.properties). */
    private static String inherit(Settings s, String prefix, String key) {
        String v = s.get(prefix + key);
        return v != null ? v : s.get("em." + key);
    }

    /** {@link #inherit}, for keys that application.properties gives a value: unset (or blanked) is an error. */
    private static String inheritRequired(Settings s, String prefix, String key, String hint) {
        String v = inherit(s, prefix, key);
        if (v == null) {
            throw new ConfigException(Settings.envName(prefix + key) + " is not set: give " + hint);
        }
        return v;
    }

    private static void checkUrl(String key, String url) {
        try {
            URI u = new URI(url.trim());
            if (u.getScheme() == null || !(u.getScheme().equalsIgnoreCase("http") || u.getScheme().equalsIgnoreCase("https"))
                    || u.getHost() == null) {
                throw new ConfigException(Settings.envName(key) + " '" + url
                        + "' is not an http(s) URL with a host, e.g. https://em01:9398/api");
            }
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(Settings.envName(key) + " '" + url + "' is not a valid URL: " + e.getReason());
        }
    }

    private static Path readable(String key, String file) {
        Path p = Path.of(file);
        if (!Files.isReadable(p) || Files.isDirectory(p)) {
            throw new ConfigException(Settings.envName(key) + " " + file + " is not a readable file");
        }
        return p;
    }

    private static String required(Settings s, String key, String hint) {
        String v = s.get(key);
        if (v == null) {
            throw new ConfigException(Settings.envName(key) + " is not set" + (hint.isEmpty() ? "" : ": give " + hint));
        }
        return v;
    }

    private static Duration duration(Settings s, String key) {
        return parseDuration(key, required(s, key, "a duration such as 30s"));
    }

    /** A duration where {@code 0} means "off". */
    private static Duration durationOrZero(Settings s, String key) {
        String v = required(s, key, "a duration such as 6h, or 0 for off");
        if (v.trim().equals("0")) {
            return Duration.ZERO;
        }
        return parseDuration(key, v);
    }

    private static Duration durationOf(Settings s, String prefix, String key) {
        return parseDuration(prefix + key, inheritRequired(s, prefix, key, "a duration such as 30s"));
    }

    private static Duration parseDuration(String key, String value) {
        try {
            Duration d = Durations.parse(value);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("'" + value + "' must be positive");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Settings.envName(key) + ": " + e.getMessage());
        }
    }

    private static int integerOf(Settings s, String prefix, String key) {
        String v = inheritRequired(s, prefix, key, "a number");
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(Settings.envName(prefix + key) + " '" + v + "' is not a whole number");
        }
    }

    private static int integer(Settings s, String key, int min, int max) {
        String v = required(s, key, "a number");
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(Settings.envName(key) + " '" + v + "' must be a whole number from " + min + " to " + max);
        }
    }

    private static boolean bool(Settings s, String key) {
        return bool(key, required(s, key, "true or false"));
    }

    private static boolean bool(String key, String v) {
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new ConfigException(Settings.envName(key) + " '" + v + "' must be true or false");
        }
        return Boolean.parseBoolean(v);
    }

    private static InitialLoadPolicy policy(Settings s) {
        String v = required(s, "initial-load.policy", "baseline, all or since:<duration>");
        try {
            return InitialLoadPolicy.parse(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("INITIAL_LOAD_POLICY '" + v + "' is not baseline, all or since:<duration>");
        }
    }

    private static List<String> list(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        return Arrays.stream(csv.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }
}

package dev.vse.em;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Connection settings for one EM server. Immutable; build with {@link #builder(String, String)}.
 * {@link #toString()} never shows the password or the truststore password.
 */
public final class EmServerConfig {
    // Defaults of the builder for programmatic use (tests, tools). The application never relies on them: AppConfig
    // always passes em.connect-timeout, em.read-timeout, em.page-size and em.truststore-type from application.properties.
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_PAGE_SIZE = 500;

    private final String id;
    private final String baseUrl;
    private final String username;
    private final String password;
    private final Path truststorePath;
    private final String truststorePassword;
    private final String truststoreType;
    private final Path caPemPath;
    private final boolean insecureTrustAll;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final int pageSize;

    private EmServerConfig(Builder b) {
        this.id = requireText(b.id, "id");
        this.baseUrl = normalise(requireText(b.baseUrl, "baseUrl"));
        this.username = b.username;
        this.password = b.password;
        this.truststorePath = b.truststorePath;
        this.truststorePassword = b.truststorePassword;
        this.truststoreType = b.truststoreType == null || b.truststoreType.isBlank() ? "PKCS12" : b.truststoreType;
        this.caPemPath = b.caPemPath;
        this.insecureTrustAll = b.insecureTrustAll;
        this.connectTimeout = positive(b.connectTimeout, DEFAULT_CONNECT_TIMEOUT, "connectTimeout");
        this.readTimeout = positive(b.readTimeout, DEFAULT_READ_TIMEOUT, "readTimeout");
        if (b.pageSize <= 0) {
            throw new IllegalArgumentException("EM " + id + ": pageSize must be > 0, got " + b.pageSize);
        }
        this.pageSize = b.pageSize;
    }

    public static Builder builder(String id, String baseUrl) {
        return new Builder(id, baseUrl);
    }

    /** Configured id, e.g. {@code em01}. */
    public String id() { return id; }
    /** API base URL without trailing slash, e.g. {@code https://em01:9398/api}. */
    public String baseUrl() { return baseUrl; }
    public String username() { return username; }
    public String password() { return password; }
    public Path truststorePath() { return truststorePath; }
    public String truststorePassword() { return truststorePassword; }
    /** {@code PKCS12} (default) or {@code JKS}. */
    public String truststoreType() { return truststoreType; }
    public Path caPemPath() { return caPemPath; }
    public boolean insecureTrustAll() { return insecureTrustAll; }
    public Duration connectTimeout() { return connectTimeout; }
    public Duration readTimeout() { return readTimeout; }
    public int pageSize() { return pageSize; }

    @Override
    public String toString() {
        return "EmServerConfig[id=" + id + ", baseUrl=" + baseUrl + ", username=" + username
                + ", password=" + (password == null ? "null" : "***") + ", truststorePath=" + truststorePath
                + ", truststoreType=" + truststoreType + ", caPemPath=" + caPemPath
                + ", insecureTrustAll=" + insecureTrustAll + ", connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout + ", pageSize=" + pageSize + "]";
    }

    private static String normalise(String url) {
        String u = url.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        if (!u.startsWith("http://") && !u.startsWith("https://")) {
            throw new IllegalArgumentException("EM base URL must start with http:// or https://: " + u);
        }
        return u;
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("EM " + name + " is required");
        }
        return value;
    }

    private Duration positive(Duration value, Duration fallback, String name) {
        Duration d = value == null ? fallback : value;
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("EM " + id + ": " + name + " must be > 0, got " + d);
        }
        return d;
    }

    /** Builder; only {@code id} and {@code baseUrl} are mandatory. */
    public static final class Builder {
        private final String id;
        private final String baseUrl;
        private String username;
        private String password;
        private Path truststorePath;
        private String truststorePassword;
        private String truststoreType;
        private Path caPemPath;
        private boolean insecureTrustAll;
        private Duration connectTimeout;
        private Duration readTimeout;
        private int pageSize = DEFAULT_PAGE_SIZE;

        private Builder(String id, String baseUrl) {
            this.id = id;
            this.baseUrl = baseUrl;
        }

        public Builder credentials(String username, String password) {
            this.username = Objects.requireNonNull(username, "username");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        public Builder truststore(Path path, String password, String type) {
            this.truststorePath = path;
            this.truststorePassword = password;
            this.truststoreType = type;
            return this;
        }

        public Builder caPem(Path path) {
            this.caPemPath = path;
            return this;
        }

        public Builder insecureTrustAll(boolean trustAll) {
            this.insecureTrustAll = trustAll;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public Builder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        public Builder pageSize(int pageSize) {
            this.pageSize = pageSize;
            return this;
        }

        public EmServerConfig build() {
            return new EmServerConfig(this);
        }
    }
}

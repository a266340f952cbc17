package dev.vse.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The one owner of "how the app talks to Kafka": bootstrap servers and security (TLS, mTLS, SASL PLAIN /
 * SCRAM). Gives the same settings to the camel-kafka producers ({@link #camelComponentProperties()}) and to every
 * Kafka client the app creates itself ({@link #clientProperties()}: the startup check's Admin, consumers).
 * {@link #toString()} never shows a password or the JAAS line.
 */
public final class KafkaClientSettings {
    static final String PROTOCOL = "kafka.security-protocol";
    static final String MECHANISM = "kafka.sasl.mechanism";
    static final String USERNAME = "kafka.sasl.username";
    static final String PASSWORD = "kafka.sasl.password";
    static final String JAAS = "kafka.sasl.jaas-config";
    static final String TRUSTSTORE = "kafka.ssl.truststore-location";
    static final String TRUSTSTORE_PASSWORD = "kafka.ssl.truststore-password";
    static final String TRUSTSTORE_TYPE = "kafka.ssl.truststore-type";
    static final String KEYSTORE = "kafka.ssl.keystore-location";
    static final String KEYSTORE_PASSWORD = "kafka.ssl.keystore-password";
    static final String KEYSTORE_TYPE = "kafka.ssl.keystore-type";
    static final String KEY_PASSWORD = "kafka.ssl.key-password";
    static final String ENDPOINT_IDENTIFICATION = "kafka.ssl.endpoint-identification-algorithm";

    static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    static final Set<String> MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

    private final String bootstrapServers;
    private final String protocol;
    private final String mechanism;
    private final String username;
    /** Kafka client config name -> value (security only); holds secrets, never printed. */
    private final Map<String, String> security;

    private KafkaClientSettings(String bootstrapServers, String protocol, String mechanism, String username,
                                Map<String, String> security) {
        this.bootstrapServers = bootstrapServers;
        this.protocol = protocol;
        this.mechanism = mechanism;
        this.username = username;
        this.security = security;
    }

    /** Reads and checks the {@code kafka.*} security keys; every problem is a {@link ConfigException} naming the variable. */
    public static KafkaClientSettings from(Settings s) {
        String bootstrap = s.get("kafka.bootstrap-servers");
        if (bootstrap == null) {
            throw new ConfigException("KAFKA_BOOTSTRAP_SERVERS is not set: give e.g. localhost:9092");
        }
        String protocol = upper(s, PROTOCOL, "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL");
        if (!PROTOCOLS.contains(protocol)) {
            throw new ConfigException(Settings.envName(PROTOCOL) + " '" + protocol + "' must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL");
        }
        Map<String, String> sec = new LinkedHashMap<>();
        sec.put("security.protocol", protocol);
        String mechanism = null;
        String username = null;
        if (protocol.startsWith("SASL_")) {
            mechanism = upper(s, MECHANISM, "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512");
            if (!MECHANISMS.contains(mechanism)) {
                throw new ConfigException(Settings.envName(MECHANISM) + " '" + mechanism
                        + "' must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512");
            }
            sec.put("sasl.mechanism", mechanism);
            String jaas = s.get(JAAS);
            if (jaas == null) {
                username = s.get(USERNAME);
                if (username == null) {
                    throw new ConfigException(Settings.envName(USERNAME) + " is not set: " + protocol
                            + " needs a SASL user (or a full " + Settings.envName(JAAS) + ")");
                }
                String password = s.get(PASSWORD);
                if (password == null) {
                    throw new ConfigException(Settings.envName(PASSWORD) + " is not set: give the password of "
                            + Settings.envName(USERNAME) + " (or " + Settings.envName(PASSWORD) + "_FILE)");
                }
                jaas = jaas(mechanism, username, password);
            }
            sec.put("sasl.jaas.config", jaas);
        }
        if (protocol.endsWith("SSL")) {
            String truststore = s.get(TRUSTSTORE);
            if (truststore != null) {
                sec.put("ssl.truststore.location", readable(TRUSTSTORE, truststore));
                putIfSet(sec, "ssl.truststore.password", s.get(TRUSTSTORE_PASSWORD));
                putIfSet(sec, "ssl.truststore.type", s.get(TRUSTSTORE_TYPE));
            }
            String keystore = s.get(KEYSTORE);
            if (keystore != null) {
                sec.put("ssl.keystore.location", readable(KEYSTORE, keystore));
                putIfSet(sec, "ssl.keystore.password", s.get(KEYSTORE_PASSWORD));
                putIfSet(sec, "ssl.keystore.type", s.get(KEYSTORE_TYPE));
                String keyPassword = s.get(KEY_PASSWORD);
                putIfSet(sec, "ssl.key.password", keyPassword != null ? keyPassword : s.get(KEYSTORE_PASSWORD));
            }
            String endpoint = s.get(ENDPOINT_IDENTIFICATION);
            if (endpoint != null) {
                // "none" turns host name verification off (Kafka wants an empty string for that)
                sec.put("ssl.endpoint.identification.algorithm", endpoint.equalsIgnoreCase("none") ? "" : endpoint);
            }
        }
        return new KafkaClientSettings(bootstrap, protocol, mechanism, username, Map.copyOf(sec));
    }

    /** The JAAS line for a user and password: PlainLoginModule for PLAIN, ScramLoginModule for SCRAM. */
    static String jaas(String mechanism, String username, String password) {
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        return module + " required username=\"" + quote(username) + "\" password=\"" + quote(password) + "\";";
    }

    private static String quote(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String securityProtocol() {
        return protocol;
    }

    /** The SASL user, null without SASL or with a JAAS line given as a whole. */
    public String saslUsername() {
        return username;
    }

    public boolean sasl() {
        return mechanism != null;
    }

    /** For every Kafka client the app creates (Admin, consumers): bootstrap servers and security. */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        p.putAll(security);
        return p;
    }

    /** The same settings as {@code camel.component.kafka.*} properties, for the camel-kafka producers. */
    public Map<String, String> camelComponentProperties() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("camel.component.kafka.brokers", bootstrapServers);
        security.forEach((k, v) -> out.put("camel.component.kafka." + camelName(k), v));
        return out;
    }

    /** {@code ssl.truststore.location} -> {@code ssl-truststore-location} (camel-kafka's option names, dashed). */
    private static String camelName(String kafkaKey) {
        return switch (kafkaKey) {
            case "ssl.endpoint.identification.algorithm" -> "ssl-endpoint-algorithm";
            default -> kafkaKey.replace('.', '-');
        };
    }

    /** A one-line description for logs: protocol, mechanism and user, no secret. */
    public String describe() {
        return protocol + (mechanism == null ? "" : " " + mechanism + (username == null ? " (JAAS config)" : " as " + username));
    }

    @Override
    public String toString() {
        return "KafkaClientSettings[" + bootstrapServers + ", " + describe() + "]";
    }

    private static String upper(Settings s, String key, String hint) {
        String v = s.get(key);
        if (v == null) {
            throw new ConfigException(Settings.envName(key) + " is not set: give " + hint);
        }
        return v.toUpperCase(Locale.ROOT);
    }

    private static void putIfSet(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    private static String readable(String key, String file) {
        Path p = Path.of(file);
        if (!Files.isReadable(p) || Files.isDirectory(p)) {
            throw new ConfigException(Settings.envName(key) + " " + file + " is not a readable file");
        }
        return file;
    }
}

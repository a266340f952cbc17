package dev.vse.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.testkit.KafkaClusterTestKit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.network.ListenerName;
import org.awaitility.Awaitility;

/**
 * A real KRaft broker in this JVM (Kafka's test kit) with the listeners a production cluster has, and an ACL
 * authorizer ({@code StandardAuthorizer}, nothing allowed without an ACL):
 * <ul>
 *   <li>{@link #bootstrapServers()}: PLAINTEXT, principal ANONYMOUS (a super user: the tests' consumers and admin);</li>
 *   <li>{@link #saslBootstrapServers()}: SASL_PLAINTEXT with PLAIN (static JAAS users) and SCRAM-SHA-512
 *       (credentials created through the Admin API); {@link #USER} is a super user, {@link #LIMITED_USER} has no
 *       ACL at all (it may connect, but not create or write topics);</li>
 *   <li>{@link #sslBootstrapServers()}: SSL with a certificate from a throw-away CA and client authentication
 *       required (mutual TLS); the client certificate {@code CN=vse-client} is a super user;</li>
 *   <li>{@link #saslSslBootstrapServers()}: SASL_SSL, SCRAM-SHA-512 over TLS with the same broker certificate.</li>
 * </ul>
 */
public final class SecuredKafka implements AutoCloseable {
    public static final String USER = "vse";
    public static final String PASSWORD = "Kafka-Sasl-Pw-42!";
    public static final String LIMITED_USER = "limited";
    public static final String LIMITED_PASSWORD = "Limited-Pw-17!";
    public static final String STORE_PASSWORD = "Kafka-Store-Pw-93!";

    private final KafkaClusterTestKit cluster;
    private final Path truststore;
    private final Path clientKeystore;

    private SecuredKafka(KafkaClusterTestKit cluster, Path truststore, Path clientKeystore) {
        this.cluster = cluster;
        this.truststore = truststore;
        this.clientKeystore = clientKeystore;
    }

    public static SecuredKafka start() {
        try {
            Path dir = Files.createTempDirectory("secured-kafka-");
            TestCa ca = TestCa.create();
            Path truststore = ca.writeTruststore(dir.resolve("truststore.p12"), STORE_PASSWORD);
            Path brokerKeystore = ca.writeKeystore(dir.resolve("broker.p12"), "localhost", STORE_PASSWORD);
            Path clientKeystore = ca.writeKeystore(dir.resolve("client.p12"), "vse-client", STORE_PASSWORD);
            KafkaClusterTestKit cluster = EmbeddedKafka.singleNode()
                    // the test kit's two listeners (putIfAbsent) plus a SASL and an SSL one
                    .setConfigProp("listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0,SASL://localhost:0,SSL://localhost:0,SASLSSL://localhost:0")
                    .setConfigProp("listener.security.protocol.map",
                            "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL:SASL_PLAINTEXT,SSL:SSL,SASLSSL:SASL_SSL")
                    .setConfigProp("listener.name.sasl.sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512")
                    .setConfigProp("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512")
                    .setConfigProp("listener.name.sasl.plain.sasl.jaas.config",
                            "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + USER + "=\"" + PASSWORD
                                    + "\" user_" + LIMITED_USER + "=\"" + LIMITED_PASSWORD + "\";")
                    .setConfigProp("listener.name.sasl.scram-sha-512.sasl.jaas.config",
                            "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                    .setConfigProp("listener.name.ssl.ssl.keystore.location", brokerKeystore.toString())
                    .setConfigProp("listener.name.ssl.ssl.keystore.password", STORE_PASSWORD)
                    .setConfigProp("listener.name.ssl.ssl.key.password", STORE_PASSWORD)
                    .setConfigProp("listener.name.ssl.ssl.keystore.type", "PKCS12")
                    .setConfigProp("listener.name.ssl.ssl.truststore.location", truststore.toString())
                    .setConfigProp("listener.name.ssl.ssl.truststore.password", STORE_PASSWORD)
                    .setConfigProp("listener.name.ssl.ssl.truststore.type", "PKCS12")
                    .setConfigProp("listener.name.ssl.ssl.client.auth", "required")
                    // SASL_SSL: server TLS (no client certificate) and SCRAM-SHA-512
                    .setConfigProp("listener.name.saslssl.sasl.enabled.mechanisms", "SCRAM-SHA-512")
                    .setConfigProp("listener.name.saslssl.scram-sha-512.sasl.jaas.config",
                            "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                    .setConfigProp("listener.name.saslssl.ssl.keystore.location", brokerKeystore.toString())
                    .setConfigProp("listener.name.saslssl.ssl.keystore.password", STORE_PASSWORD)
                    .setConfigProp("listener.name.saslssl.ssl.key.password", STORE_PASSWORD)
                    .setConfigProp("listener.name.saslssl.ssl.keystore.type", "PKCS12")
                    .setConfigProp("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                    .setConfigProp("super.users", "User:ANONYMOUS;User:" + USER + ";User:CN=vse-client")
                    .setConfigProp("allow.everyone.if.no.acl.found", "false")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            SecuredKafka kafka = new SecuredKafka(cluster, truststore, clientKeystore);
            kafka.createScramUsers();
            return kafka;
        } catch (Exception e) {
            throw new IllegalStateException("secured embedded Kafka did not start: " + e.getMessage(), e);
        }
    }

    private void createScramUsers() throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            ScramCredentialInfo info = new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096);
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER, info, PASSWORD),
                    new UserScramCredentialUpsertion(LIMITED_USER, info, LIMITED_PASSWORD))).all().get();
            // the credentials reach the broker through the metadata log: wait until it describes them
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    admin.describeUserScramCredentials(List.of(USER, LIMITED_USER)).all().get().size() == 2);
        }
    }

    /** PLAINTEXT, ANONYMOUS super user: the tests' own consumers. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public String saslBootstrapServers() {
        return "localhost:" + cluster.brokers().values().iterator().next().boundPort(new ListenerName("SASL"));
    }

    public String sslBootstrapServers() {
        return "localhost:" + cluster.brokers().values().iterator().next().boundPort(new ListenerName("SSL"));
    }

    public String saslSslBootstrapServers() {
        return "localhost:" + cluster.brokers().values().iterator().next().boundPort(new ListenerName("SASLSSL"));
    }

    /** The app's settings for SASL_SSL with SCRAM-SHA-512 as {@link #USER}, trusting the test CA. */
    public Map<String, String> saslSsl() {
        return Map.of("kafka.bootstrap-servers", saslSslBootstrapServers(), "kafka.security-protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "SCRAM-SHA-512", "kafka.sasl.username", USER, "kafka.sasl.password", PASSWORD,
                "kafka.ssl.truststore-location", truststore.toString(), "kafka.ssl.truststore-password", STORE_PASSWORD);
    }

    /** PKCS12 with the CA of the broker certificate (password {@link #STORE_PASSWORD}). */
    public Path truststore() {
        return truststore;
    }

    /** PKCS12 with the client key and certificate {@code CN=vse-client} (password {@link #STORE_PASSWORD}). */
    public Path clientKeystore() {
        return clientKeystore;
    }

    /** The app's settings (keys of application.properties) for SASL_PLAINTEXT with {@code mechanism} as {@code user}. */
    public Map<String, String> sasl(String mechanism, String user, String password) {
        return Map.of("kafka.bootstrap-servers", saslBootstrapServers(), "kafka.security-protocol", "SASL_PLAINTEXT",
                "kafka.sasl.mechanism", mechanism, "kafka.sasl.username", user, "kafka.sasl.password", password);
    }

    /** The app's settings for SSL with client authentication (mutual TLS). */
    public Map<String, String> mutualTls() {
        return Map.of("kafka.bootstrap-servers", sslBootstrapServers(), "kafka.security-protocol", "SSL",
                "kafka.ssl.truststore-location", truststore.toString(), "kafka.ssl.truststore-password", STORE_PASSWORD,
                "kafka.ssl.keystore-location", clientKeystore.toString(), "kafka.ssl.keystore-password", STORE_PASSWORD);
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("secured embedded Kafka did not stop cleanly", e);
        }
    }
}

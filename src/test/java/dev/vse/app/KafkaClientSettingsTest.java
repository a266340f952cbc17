package dev.vse.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSettingsTest {
    private static final String PW = "Kafka-Sasl-Pw-42!";

    private static Settings settings(Map<String, String> env) {
        return new Settings(Settings.bundled(), env, Map.of());
    }

    @Test
    void plaintextByDefault_producersAndAdminGetTheSameBootstrapAndProtocol() {
        KafkaClientSettings k = KafkaClientSettings.from(settings(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k1:9092")));
        assertThat(k.clientProperties()).containsEntry("bootstrap.servers", "k1:9092").containsEntry("security.protocol", "PLAINTEXT")
                .doesNotContainKey("sasl.jaas.config");
        assertThat(k.camelComponentProperties()).containsEntry("camel.component.kafka.brokers", "k1:9092")
                .containsEntry("camel.component.kafka.security-protocol", "PLAINTEXT");
    }

    @Test
    void saslScram_buildsTheScramJaasLine_forBothSides_andHidesItInToString() {
        KafkaClientSettings k = KafkaClientSettings.from(settings(Map.of("KAFKA_SECURITY_PROTOCOL", "sasl_ssl",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512", "KAFKA_SASL_USERNAME", "vse", "KAFKA_SASL_PASSWORD", PW)));
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"vse\" password=\"" + PW + "\";";
        assertThat(k.clientProperties()).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", jaas);
        assertThat(k.camelComponentProperties()).containsEntry("camel.component.kafka.sasl-jaas-config", jaas)
                .containsEntry("camel.component.kafka.sasl-mechanism", "SCRAM-SHA-512")
                .containsEntry("camel.component.kafka.ssl-endpoint-algorithm", "https");
        assertThat(k.toString()).doesNotContain(PW).contains("vse");
    }

    @Test
    void plain_buildsThePlainJaasLine_andAGivenJaasConfigWins() {
        assertThat(KafkaClientSettings.from(settings(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_USERNAME", "u", "KAFKA_SASL_PASSWORD", "p\"q"))).clientProperties().getProperty("sasl.jaas.config"))
                .isEqualTo("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\\\"q\";");
        assertThat(KafkaClientSettings.from(settings(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_JAAS_CONFIG", "x required;"))).clientProperties().getProperty("sasl.jaas.config")).isEqualTo("x required;");
    }

    @Test
    void mtls_givesKeystoreAndTruststoreToBothSides(@TempDir Path dir) throws Exception {
        Path ts = Files.writeString(dir.resolve("ts.p12"), "x");
        Path ks = Files.writeString(dir.resolve("ks.p12"), "x");
        KafkaClientSettings k = KafkaClientSettings.from(settings(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", ts.toString(), "KAFKA_SSL_TRUSTSTORE_PASSWORD", "tpw",
                "KAFKA_SSL_KEYSTORE_LOCATION", ks.toString(), "KAFKA_SSL_KEYSTORE_PASSWORD", "kpw")));
        assertThat(k.clientProperties()).containsEntry("ssl.truststore.location", ts.toString())
                .containsEntry("ssl.truststore.password", "tpw").containsEntry("ssl.keystore.password", "kpw")
                .containsEntry("ssl.key.password", "kpw").containsEntry("ssl.keystore.type", "PKCS12");
        assertThat(k.camelComponentProperties()).containsEntry("camel.component.kafka.ssl-keystore-location", ks.toString())
                .containsEntry("camel.component.kafka.ssl-truststore-password", "tpw")
                .containsEntry("camel.component.kafka.ssl-key-password", "kpw");
    }

    @Test
    void badValues_nameTheVariable() {
        assertThatThrownBy(() -> KafkaClientSettings.from(settings(Map.of("KAFKA_SECURITY_PROTOCOL", "TLS"))))
                .hasMessageStartingWith("KAFKA_SECURITY_PROTOCOL 'TLS'");
        assertThatThrownBy(() -> KafkaClientSettings.from(settings(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "GSSAPI")))).hasMessageStartingWith("KAFKA_SASL_MECHANISM 'GSSAPI'");
        assertThatThrownBy(() -> KafkaClientSettings.from(settings(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL"))))
                .hasMessageStartingWith("KAFKA_SASL_USERNAME is not set");
        assertThatThrownBy(() -> KafkaClientSettings.from(settings(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_USERNAME", "u")))).hasMessageStartingWith("KAFKA_SASL_PASSWORD is not set");
        assertThatThrownBy(() -> KafkaClientSettings.from(settings(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "/nonexistent.p12")))).hasMessageStartingWith("KAFKA_SSL_TRUSTSTORE_LOCATION");
    }

    @Test
    void passwordFiles_anyPasswordKey_trailingNewlineDropped_unreadableNamesTheVariable(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("pw"), PW + "\n");
        Map<String, String> env = new HashMap<>(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "KAFKA_SASL_USERNAME", "u",
                "KAFKA_SASL_PASSWORD_FILE", f.toString(), "EM_1_PASSWORD_FILE", f.toString(),
                "EM_TRUSTSTORE_PASSWORD_FILE", f.toString()));
        Settings s = settings(env);
        assertThat(s.get("kafka.sasl.password")).isEqualTo(PW);
        assertThat(s.get("em.1.password")).isEqualTo(PW);
        assertThat(s.get("em.truststore-password")).isEqualTo(PW);
        assertThat(KafkaClientSettings.from(s).clientProperties().getProperty("sasl.jaas.config")).contains("password=\"" + PW + "\"");

        env.put("KAFKA_SASL_PASSWORD_FILE", dir.resolve("missing").toString());
        assertThatThrownBy(() -> KafkaClientSettings.from(settings(env))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("KAFKA_SASL_PASSWORD_FILE ").hasMessageNotContaining(PW);
        env.put("EM_PASSWORD_FILE", dir.toString()); // a folder
        assertThatThrownBy(() -> settings(env).get("em.password")).hasMessageStartingWith("EM_PASSWORD_FILE ");
    }

    @Test
    void topicPlan_sevenTopics_threeCompacted_brokerDefaultsWhenUnset() {
        TopicPlan plan = TopicPlan.from(settings(Map.of()));
        assertThat(plan.create()).isTrue();
        assertThat(plan.topics()).hasSize(7);
        assertThat(plan.topics().stream().filter(TopicPlan.Topic::compacted).map(TopicPlan.Topic::name))
                .containsExactly("veeam.em.heartbeat", "veeam.em.job.alerts", "veeam.em.state");
        assertThat(plan.partitions()).isEmpty();
        assertThat(plan.replicationFactor()).isEmpty();
        TopicPlan set = TopicPlan.from(settings(Map.of("TOPICS_PARTITIONS", "6", "TOPICS_REPLICATION_FACTOR", "3", "TOPICS_CREATE", "false")));
        assertThat(set.partitions()).isEqualTo(Optional.of(6));
        assertThat(set.replicationFactor()).isEqualTo(Optional.of((short) 3));
        assertThat(set.create()).isFalse();
        assertThatThrownBy(() -> TopicPlan.from(settings(Map.of("TOPICS_PARTITIONS", "0")))).hasMessageStartingWith("TOPICS_PARTITIONS '0'");
    }
}

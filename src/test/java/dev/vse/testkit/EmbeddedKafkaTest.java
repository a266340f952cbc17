package dev.vse.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The in-JVM broker is a real broker: a record produced is consumed back. */
class EmbeddedKafkaTest {

    @Test
    void producedRecord_isConsumedBack() {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            try (var producer = new KafkaProducer<String, byte[]>(p); var consumer = kafka.consumer("smoke")) {
                producer.send(new ProducerRecord<>("smoke", "k", new byte[] {1, 2})).get();
                var seen = new java.util.ArrayList<String>();
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.key()));
                    return !seen.isEmpty();
                });
                assertThat(seen).containsExactly("k");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }
}

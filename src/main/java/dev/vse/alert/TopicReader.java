package dev.vse.alert;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the whole compacted job alerts topic, from the beginning of every partition to its end as it is when the
 * read starts (the last stable offset: {@code read_committed}), without a consumer group: the bridge knows every open
 * incident before its first re-send, whatever its group has committed.
 */
final class TopicReader {
    /** What one record says, as the bridge applies it. */
    interface Sink {
        /** {@code header}: the record's header of that name as UTF-8 text, null when absent. */
        void accept(String key, int partition, long offset, Function<String, String> header, byte[] value);
    }

    private final Properties clientProperties;
    private final String topic;
    private final Duration timeout;

    /** {@code clientProperties}: bootstrap servers and security, as every Kafka client of the app has them. */
    TopicReader(Properties clientProperties, String topic, Duration timeout) {
        this.clientProperties = clientProperties;
        this.topic = topic;
        this.timeout = timeout;
    }

    /** Hands every record to {@code sink}; returns how many. A topic that does not exist holds nothing. */
    int readAll(Sink sink) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "vse-alertmanager-rebuild");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        Instant deadline = Instant.now().plus(timeout);
        int count = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                return 0;
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, timeout));
            end.entrySet().removeIf(e -> consumer.position(e.getKey(), timeout) >= e.getValue());
            while (!end.isEmpty()) {
                Duration left = Duration.between(Instant.now(), deadline);
                if (left.isNegative()) {
                    throw new IllegalStateException("topic " + topic + " not read to its end within " + timeout.toSeconds() + "s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(left.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : left)) {
                    sink.accept(r.key(), r.partition(), r.offset(), name -> header(r, name), r.value());
                    count++;
                }
                end.entrySet().removeIf(e -> consumer.position(e.getKey(), timeout) >= e.getValue());
            }
        }
        return count;
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}

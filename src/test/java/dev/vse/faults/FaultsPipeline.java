package dev.vse.faults;

import dev.vse.app.AppConfig;
import dev.vse.app.PipelineApp;
import dev.vse.app.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/**
 * A copy of {@code dev.vse.pipeline.PipelineHarness} (package-private there) for the fault tests:
 * runs the real pipeline (Camel Main, YAML routes, file state store) against a given Kafka and EM
 * simulator(s), with topics unique to one test, and collects what lands on them.
 */
final class FaultsPipeline implements AutoCloseable {
    final String completed;
    final String failed;
    final String changes;
    final String dlq;
    private final String bootstrap;
    private final Map<String, String> overrides = new HashMap<>();
    private final List<ConsumerRecord<String, byte[]>> received = new CopyOnWriteArrayList<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private PipelineApp app;

    FaultsPipeline(String bootstrap, Path stateDir, String emUrl) {
        this.bootstrap = bootstrap;
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        completed = "completed-" + suffix;
        failed = "failed-" + suffix;
        changes = "changes-" + suffix;
        dlq = "dlq-" + suffix;
        overrides.put("em.url", emUrl);
        overrides.put("em.username", "admin");
        overrides.put("em.password", "admin");
        overrides.put("kafka.bootstrap-servers", bootstrap);
        overrides.put("poll.interval", "1s");
        overrides.put("poll.retries", "1");
        overrides.put("state.dir", stateDir.toString());
        overrides.put("topic.completed", completed);
        overrides.put("topic.failed", failed);
        overrides.put("topic.changes", changes);
        overrides.put("topic.dlq", dlq);
        overrides.put("events.console", "true");
        consumer = consumer(bootstrap, List.of(completed, failed, changes, dlq));
    }

    FaultsPipeline with(String key, String value) {
        overrides.put(key, value);
        return this;
    }

    FaultsPipeline start() {
        Settings settings = new Settings(defaults(), Map.of(), overrides);
        app = new PipelineApp(AppConfig.from(settings), settings);
        app.start();
        return this;
    }

    void stop() {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    PipelineApp app() {
        return app;
    }

    /** Everything received so far on this test's topics (polls the broker first). */
    List<ConsumerRecord<String, byte[]>> records() {
        synchronized (consumer) {
            consumer.poll(Duration.ofMillis(100)).forEach(received::add);
        }
        return new ArrayList<>(received);
    }

    List<ConsumerRecord<String, byte[]>> on(String topic) {
        return records().stream().filter(r -> r.topic().equals(topic)).toList();
    }

    /** Waits until {@code condition} holds over the records of {@code topic}, then returns them. */
    List<ConsumerRecord<String, byte[]>> await(String topic, Predicate<List<ConsumerRecord<String, byte[]>>> condition) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> condition.test(on(topic)));
        return on(topic);
    }

    static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    static KafkaConsumer<String, byte[]> consumer(String bootstrap, List<String> topics) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p);
        c.subscribe(topics);
        return c;
    }

    private static Properties defaults() {
        Properties p = new Properties();
        try (var in = FaultsPipeline.class.getResourceAsStream("/application.properties")) {
            p.load(in);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return p;
    }

    @Override
    public void close() {
        stop();
        synchronized (consumer) {
            consumer.close();
        }
    }
}

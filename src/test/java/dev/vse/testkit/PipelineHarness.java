package dev.vse.testkit;

import dev.vse.app.AppConfig;
import dev.vse.app.PipelineApp;
import dev.vse.app.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;

/**
 * Runs the real pipeline (Camel Main, YAML routes, file state store) against a given Kafka and EM
 * simulator(s), with topics unique to one test, and collects what lands on them.
 */
public final class PipelineHarness implements AutoCloseable {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    public final String completed;
    public final String failed;
    public final String changes;
    public final String dlq;
    public final String jobAlerts;
    private final String bootstrap;
    private final Map<String, String> overrides = new HashMap<>();
    private final List<ConsumerRecord<String, byte[]>> received = new CopyOnWriteArrayList<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private PipelineApp app;

    public PipelineHarness(String bootstrap, Path stateDir, String emUrl) {
        this.bootstrap = bootstrap;
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        completed = "completed-" + suffix;
        failed = "failed-" + suffix;
        changes = "changes-" + suffix;
        dlq = "dlq-" + suffix;
        jobAlerts = "job-alerts-" + suffix;
        overrides.putAll(overrides(bootstrap, stateDir, emUrl, completed, failed, changes, dlq));
        overrides.put("topic.job-alerts", jobAlerts);
        overrides.put("events.console", "true");
        overrides.put("camel.management.enabled", "false"); // one test turns it on, on a free port
        consumer = consumer(bootstrap, List.of(completed, failed, changes, dlq, jobAlerts));
    }

    /**
     * What every test run of the pipeline sets: the EM (simulator, admin/admin), the broker, a 1 s poll, one
     * retry, its own state folder and its own topics. Tests that start the pipeline themselves use it too.
     */
    public static Map<String, String> overrides(String bootstrap, Path stateDir, String emUrl, String completed,
                                                String failed, String changes, String dlq) {
        Map<String, String> o = new java.util.LinkedHashMap<>();
        o.put("em.url", emUrl);
        o.put("em.username", "admin");
        o.put("em.password", "admin");
        o.put("kafka.bootstrap-servers", bootstrap);
        o.put("poll.interval", "1s");
        o.put("poll.retries", "1");
        o.put("state.dir", stateDir.toString());
        o.put("topic.completed", completed);
        o.put("topic.failed", failed);
        o.put("topic.changes", changes);
        o.put("topic.dlq", dlq);
        return o;
    }

    public PipelineHarness with(String key, String value) {
        overrides.put(key, value);
        return this;
    }

    public PipelineHarness start() {
        Settings settings = Settings.load(Map.of(), overrides);
        app = new PipelineApp(AppConfig.from(settings), settings);
        app.start();
        return this;
    }

    public void stop() {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    public PipelineApp app() {
        return app;
    }

    /** Everything received so far on this test's topics (polls the broker first). */
    public List<ConsumerRecord<String, byte[]>> records() {
        synchronized (consumer) {
            consumer.poll(Duration.ofMillis(100)).forEach(received::add);
        }
        return new ArrayList<>(received);
    }

    public List<ConsumerRecord<String, byte[]>> on(String topic) {
        return records().stream().filter(r -> r.topic().equals(topic)).toList();
    }

    /** Waits until {@code condition} holds over the records of {@code topic}, then returns them. */
    public List<ConsumerRecord<String, byte[]>> await(String topic, Predicate<List<ConsumerRecord<String, byte[]>>> condition) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> condition.test(on(topic)));
        return on(topic);
    }

    public static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The JSON value of a record. */
    public static com.fasterxml.jackson.databind.JsonNode value(ConsumerRecord<String, byte[]> r) {
        try {
            return JSON.readTree(r.value());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    public static KafkaConsumer<String, byte[]> consumer(String bootstrap, List<String> topics) {
        return TestConsumers.fromEarliest(bootstrap, topics);
    }


    @Override
    public void close() {
        stop();
        synchronized (consumer) {
            consumer.close();
        }
    }
}

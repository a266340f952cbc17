package dev.vse.demo;

import dev.vse.util.Durations;
import dev.vse.app.AppConfig;

import dev.vse.app.PipelineApp;
import dev.vse.app.Settings;
import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.GeneratorOptions;
import dev.vse.simulator.SimulatorOptions;
import dev.vse.testkit.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The one-command demo ({@code mvn -q -Pdemo test-compile exec:exec}): an EM simulator serving a
 * generated estate, a real Kafka broker in this JVM, and the pipeline, printing one line per published
 * event. Test scope: the in-JVM broker never reaches the production jar.
 *
 * <p>Options ({@code -Ddemo.args="duration=60s jobs=30 interval=5s"}): {@code duration} stops the demo
 * by itself, {@code jobs} and {@code seed} shape the estate, {@code interval} is the poll interval.
 */
public final class DemoLauncher {
    private DemoLauncher() { }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        Duration duration = opts.containsKey("duration") ? Durations.parse(opts.get("duration")) : null;
        Path state = Files.createTempDirectory("vse-demo-state");
        System.out.println("demo: starting an in-JVM Kafka broker...");
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             EmSimulator em = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1")
                     .withGenerator(GeneratorOptions.defaults()
                             .withJobs(Integer.parseInt(opts.getOrDefault("jobs", "24")))
                             .withSeed(Long.parseLong(opts.getOrDefault("seed", "42")))
                             .withPeriod(Duration.ofSeconds(40))
                             .withDuration(Duration.ofSeconds(5), Duration.ofSeconds(25))
                             .withRetryTimeout(Duration.ofSeconds(10))
                             .withHistory(Duration.ofMinutes(3))))) {
            Map<String, String> overrides = new HashMap<>();
            overrides.put("em.url", em.baseUrl());
            overrides.put("em.username", "admin");
            overrides.put("em.password", "admin");
            overrides.put("kafka.bootstrap-servers", kafka.bootstrapServers());
            overrides.put("poll.interval", opts.getOrDefault("interval", "5s"));
            overrides.put("poll.lag-margin", "2m");
            overrides.put("state.dir", state.toString());
            overrides.put("events.console", "true");
            Settings settings = Settings.load(System.getenv(), overrides);
            System.out.println("demo: EM simulator at " + em.baseUrl() + " (admin/admin), Kafka at " + kafka.bootstrapServers()
                    + ", state in " + state);
            System.out.println("demo: one line per published event: topic, key, type, job, state/result"
                    + (duration == null ? " (Ctrl-C to stop)" : " for " + duration.toSeconds() + "s"));
            try (PipelineApp app = new PipelineApp(AppConfig.from(settings), settings)) {
                app.start();
                CountDownLatch stop = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
                if (duration == null) {
                    stop.await();
                } else {
                    stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        }
        System.out.println("demo: stopped");
        System.exit(0);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (String a : args) {
            String s = a.startsWith("--") ? a.substring(2) : a;
            int eq = s.indexOf('=');
            if (eq > 0) {
                m.put(s.substring(0, eq), s.substring(eq + 1));
            }
        }
        return m;
    }
}

package dev.vse.bench;

import static dev.vse.bench.BenchKit.f;
import static dev.vse.bench.BenchKit.log;

import dev.vse.app.AppConfig;
import dev.vse.app.PipelineApp;
import dev.vse.app.Settings;
import dev.vse.detect.StateStore;
import dev.vse.event.EventType;
import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.SimSession;
import dev.vse.simulator.SimulatorOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Item 5: latency from the instant a change is visible in the simulator to the Kafka record of that change.
 *
 * <p>Its own simulator (a small estate) and its own pipeline per poll interval. Changes are made one at a time at
 * uniformly random instants over {@code cycles × interval}; the simulator has no collection lag, so a change is
 * served by the first request after {@code estate().update/put} returned — that instant ({@code currentTimeMillis})
 * is its visible-at. Afterwards the topics are read back and each expected record (session UID + {@code ce_type})
 * is matched to the first record of that key and type with a CreateTime at or after the visible-at instant.
 */
final class LatencyPhase {
    private static final String EM = "em01";

    record Result(Duration interval, int changes, int expected, int matched, double p50, double p90, double p99, double max,
                  List<Long> cycleWallMillis) {
        String line() {
            return f("latency at POLL_INTERVAL=%ds: %d changes, %d/%d records matched; p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, "
                            + "max %.0f ms; target p99 <= interval + 250 ms = %d ms: %s", interval.toSeconds(), changes, matched,
                    expected, p50, p90, p99, max, interval.toMillis() + 250, p99 <= interval.toMillis() + 250 ? "PASS" : "FAIL");
        }
    }

    private record Expect(String key, long visibleAt) { }

    private LatencyPhase() { }

    static Result run(String bootstrap, Duration interval, int changes, int cycles, Duration lag, int estateSessions)
            throws Exception {
        Random random = new Random(7 + interval.toSeconds());
        String suffix = BenchKit.suffix();
        Path stateDir = Files.createTempDirectory("vse-bench-latency");
        Deque<SimSession> running = new ArrayDeque<>();
        List<String> topics = BenchKit.sessionTopics(suffix);
        PipelineApp app = null;
        try (EmSimulator em = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"));
             Admin admin = BenchKit.admin(bootstrap)) {
            BenchKit.createTopics(admin, topics);
            List<BenchKit.Job> jobs = BenchKit.fillEstate(em, Instant.now(), estateSessions, 100, Math.min(500, estateSessions / 4),
                    5, random, running, null, "lat ");
            em.refresh();
            Map<String, String> o = BenchKit.overrides(em.baseUrl(), bootstrap, stateDir, suffix, interval, lag, 1000, "all", "file");
            Settings settings = Settings.load(Map.of(), o);
            app = new PipelineApp(AppConfig.from(settings), settings);
            app.start();
            StateStore store = app.store();
            while (store.watermark(EM, SimSession.BACKUP).isEmpty() || store.watermark(EM, SimSession.REPLICA).isEmpty()) {
                Thread.sleep(20);
            }
            log(f("latency %ds: first load of %d sessions done; %d changes at random instants over %d cycles (%d s)",
                    interval.toSeconds(), estateSessions, changes, cycles, interval.toSeconds() * cycles));

            // the change instants: uniform over [0, cycles x interval)
            long spanMillis = interval.toMillis() * cycles;
            long[] at = new long[changes];
            for (int i = 0; i < changes; i++) {
                at[i] = (long) (random.nextDouble() * spanMillis);
            }
            Arrays.sort(at);
            List<Expect> expected = new ArrayList<>();
            long t0 = System.currentTimeMillis();
            for (int i = 0; i < changes; i++) {
                long wait = t0 + at[i] - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                change(em, jobs, running, random, expected);
            }
            Instant last = Instant.now();
            // the cycle that started after the last change has completed: both watermarks after it
            while (!store.watermark(EM, SimSession.BACKUP).orElseThrow().isAfter(last)
                    || !store.watermark(EM, SimSession.REPLICA).orElseThrow().isAfter(last)) {
                Thread.sleep(20);
            }
            Thread.sleep(500);
            app.close();
            app = null;

            Map<String, TreeSet<Long>> seen = readBack(bootstrap, topics.subList(0, 3));
            long[] lat = new long[expected.size()];
            int n = 0;
            for (Expect e : expected) {
                TreeSet<Long> ts = seen.get(e.key());
                Long first = ts == null ? null : ts.ceiling(e.visibleAt());
                if (first != null) {
                    lat[n++] = first - e.visibleAt();
                }
            }
            long[] sorted = Arrays.copyOf(lat, n);
            Arrays.sort(sorted);
            Result r = new Result(interval, changes, expected.size(), n, BenchKit.percentile(sorted, 50),
                    BenchKit.percentile(sorted, 90), BenchKit.percentile(sorted, 99), n == 0 ? Double.NaN : sorted[n - 1], List.of());
            log(r.line());
            return r;
        } finally {
            if (app != null) {
                app.close();
            }
            BenchKit.deleteQuietly(stateDir);
        }
    }

    /**
     * One change: 40 % a running session stops (changed + completed/failed), 40 % a new session starts (changed),
     * 20 % a new short run that already stopped appears (changed + completed/failed). Records the expected keys.
     */
    private static void change(EmSimulator em, List<BenchKit.Job> jobs, Deque<SimSession> running, Random random,
            List<Expect> expected) {
        int kind = random.nextInt(10);
        Instant now = Instant.now();
        if (kind < 4 && !running.isEmpty()) {
            SimSession s = running.poll();
            String r = BenchKit.result(random);
            em.estate().update(s.getId(), x -> x.setState("Stopped").setResult(r).setEndTime(now).setProgress(100));
            long visible = System.currentTimeMillis();
            expected.add(new Expect(key(s.uid(), EventType.CHANGED), visible));
            expected.add(new Expect(key(s.uid(), "Failed".equals(r) ? EventType.FAILED : EventType.COMPLETED), visible));
        } else if (kind < 8) {
            SimSession s = BenchKit.newSession(jobs.get(random.nextInt(jobs.size())), now).setState("Working").setResult("None")
                    .setProgress(1);
            em.estate().put(s);
            long visible = System.currentTimeMillis();
            running.add(s);
            expected.add(new Expect(key(s.uid(), EventType.CHANGED), visible));
        } else {
            String r = BenchKit.result(random);
            SimSession s = BenchKit.newSession(jobs.get(random.nextInt(jobs.size())), now.minusSeconds(60 + random.nextInt(600)))
                    .setState("Stopped").setResult(r).setEndTime(now).setProgress(100);
            em.estate().put(s);
            long visible = System.currentTimeMillis();
            expected.add(new Expect(key(s.uid(), EventType.CHANGED), visible));
            expected.add(new Expect(key(s.uid(), "Failed".equals(r) ? EventType.FAILED : EventType.COMPLETED), visible));
        }
    }

    private static String key(String uid, EventType type) {
        return key(uid, type.ceType());
    }

    private static String key(String uid, String ceType) {
        return uid.toLowerCase(Locale.ROOT) + "|" + ceType;
    }

    /** Every record of {@code topics} to the end: key|ce_type -> CreateTimes. */
    private static Map<String, TreeSet<Long>> readBack(String bootstrap, List<String> topics) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        Map<String, TreeSet<Long>> out = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : topics) {
                c.partitionsFor(t).forEach(pi -> parts.add(new TopicPartition(t, pi.partition())));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < deadline && parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(300))) {
                    Header h = r.headers().lastHeader("ce_type");
                    if (r.key() == null || h == null) {
                        continue;
                    }
                    out.computeIfAbsent(key(r.key(), new String(h.value(), StandardCharsets.UTF_8)), k -> new TreeSet<>())
                            .add(r.timestamp());
                }
            }
        }
        return out;
    }
}

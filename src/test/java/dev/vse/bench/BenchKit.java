package dev.vse.bench;

import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.SimSession;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/** Small helpers shared by the benchmark's phases (estate generation, pipeline overrides, statistics). */
final class BenchKit {
    static final String[] RESULTS = {"Success", "Warning", "Failed"};

    private BenchKit() { }

    /** A job of the generated estate. */
    record Job(String id, String name, String sessionType, String jobType) { }

    /**
     * Fills {@code em}'s estate as the main phase does: {@code sessions} sessions over {@code jobs} jobs (every
     * 10th a replica job) created evenly over the last {@code days} days, 85/10/5 % Success/Warning/Failed, the
     * newest {@code running} still Working (added to {@code runningOut}); the last 1000 stopped to {@code recentOut}.
     */
    static List<Job> fillEstate(EmSimulator em, Instant now, int sessions, int jobs, int running, int days, Random random,
            Deque<SimSession> runningOut, Deque<SimSession> recentOut, String jobPrefix) {
        List<Job> jobList = new ArrayList<>();
        for (int j = 0; j < jobs; j++) {
            boolean replica = j % 10 == 9;
            String name = jobPrefix + (replica ? "Replica " : "Backup ") + j;
            jobList.add(new Job(UUID.nameUUIDFromBytes(name.getBytes()).toString(), name,
                    replica ? SimSession.REPLICA : SimSession.BACKUP, replica ? "Replica" : "Backup"));
        }
        Duration span = Duration.ofDays(days);
        long stepMicros = span.toNanos() / 1000 / Math.max(1, sessions);
        Instant first = now.minus(span);
        for (int i = 0; i < sessions; i++) {
            Instant created = first.plus(stepMicros * i, ChronoUnit.MICROS);
            SimSession s = newSession(jobList.get(i % jobs), created);
            if (i >= sessions - running) {
                s.setState("Working").setResult("None").setProgress(random.nextInt(100));
                if (runningOut != null) {
                    runningOut.add(s);
                }
            } else {
                Instant end = created.plusSeconds(300 + random.nextInt(3300));
                if (end.isAfter(now.minusSeconds(60))) {
                    end = now.minusSeconds(60);
                }
                s.setState("Stopped").setResult(result(random)).setEndTime(end).setProgress(100);
                if (recentOut != null && i >= sessions - running - 1000) {
                    recentOut.add(s);
                }
            }
            em.estate().put(s);
        }
        return jobList;
    }

    static SimSession newSession(Job job, Instant created) {
        return new SimSession(job.sessionType(), UUID.randomUUID().toString(), job.id(), job.name(), job.jobType(), created);
    }

    static String result(Random random) {
        int r = random.nextInt(100);
        return r < 85 ? RESULTS[0] : r < 95 ? RESULTS[1] : RESULTS[2];
    }

    /** The pipeline overrides every phase uses (fresh topics per suffix, a management port of its own). */
    static Map<String, String> overrides(String emUrl, String bootstrap, Path stateDir, String suffix, Duration interval,
            Duration lag, int pageSize, String policy, String store) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("em.url", emUrl);
        o.put("em.username", "admin");
        o.put("em.password", "admin");
        o.put("kafka.bootstrap-servers", bootstrap);
        o.put("state.dir", stateDir.toString());
        o.put("topic.completed", "completed-" + suffix);
        o.put("topic.failed", "failed-" + suffix);
        o.put("topic.changes", "changes-" + suffix);
        o.put("topic.dlq", "dlq-" + suffix);
        o.put("topic.heartbeat", "heartbeat-" + suffix);
        o.put("topic.job-alerts", "alerts-" + suffix);
        o.put("poll.interval", interval.toMillis() + "ms");
        o.put("poll.lag-margin", lag.toSeconds() + "s");
        o.put("poll.initial-lookback", "30d");
        o.put("em.page-size", Integer.toString(pageSize));
        o.put("initial-load.policy", policy);
        o.put("events.console", "false");
        o.put("state.store", store);
        o.put("topic.state", "state-" + suffix);
        o.put("state.kafka.transactional-id-prefix", "bench-" + suffix + "-");
        // another helper's run (or a left-over process) may hold the default 9876
        o.put("camel.management.port", Integer.toString(freePort()));
        return o;
    }

    /** The four topics of a suffix the records counts read (completed, failed, changes, dlq). */
    static List<String> sessionTopics(String suffix) {
        return List.of("completed-" + suffix, "failed-" + suffix, "changes-" + suffix, "dlq-" + suffix);
    }

    static void createTopics(Admin admin, List<String> topics) throws Exception {
        admin.createTopics(topics.stream().map(t -> new NewTopic(t, 3, (short) 1)).toList()).all().get();
    }

    static Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(p);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    static long usedHeapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(300);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Nearest-rank percentile of {@code sorted} (ascending); NaN when empty. */
    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Live threads by name with digits folded ("Camel (camel-#) thread #"), most first. */
    static Map<String, Integer> threadsByPrefix() {
        ThreadMXBean t = ManagementFactory.getThreadMXBean();
        Map<String, Integer> by = new TreeMap<>();
        for (ThreadInfo i : t.getThreadInfo(t.getAllThreadIds())) {
            if (i != null) {
                by.merge(fold(i.getThreadName()), 1, Integer::sum);
            }
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        by.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    static String fold(String threadName) {
        String n = threadName.replaceAll("[0-9]+", "#");
        // Camel's thread names carry the endpoint: keep the part before " - " so that 200 timers fold together
        int dash = n.indexOf(" - ");
        String head = dash > 0 ? n.substring(0, dash) : n;
        String tail = dash > 0 ? n.substring(dash + 3) : "";
        if (tail.startsWith("timer://")) {
            tail = "timer://poll-*";
        } else if (tail.startsWith("KafkaProducer[")) {
            tail = "KafkaProducer[*]";
        }
        return tail.isEmpty() ? head : head + " - " + tail;
    }

    /** CPU nanos of all live threads whose name starts with one of {@code prefixes}. */
    static long threadCpu(String... prefixes) {
        ThreadMXBean t = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (ThreadInfo i : t.getThreadInfo(t.getAllThreadIds())) {
            if (i == null) {
                continue;
            }
            String n = i.getThreadName();
            if (Arrays.stream(prefixes).anyMatch(n::startsWith)) {
                long c = t.getThreadCpuTime(i.getThreadId());
                sum += Math.max(0, c);
            }
        }
        return sum;
    }

    static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static void log(String line) {
        System.out.println("[bench] " + line);
    }

    static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // temp dir: leave it
        }
    }

    static Map<String, String> parse(String[] argv) {
        Map<String, String> args = new HashMap<>();
        for (String a : argv) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("arguments are key=value, got '" + a + "'");
            }
            args.put(a.substring(0, eq).trim(), a.substring(eq + 1).trim());
        }
        return args;
    }
}

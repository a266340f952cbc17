package dev.vse.bench;

import dev.vse.app.AppConfig;
import dev.vse.app.PipelineApp;
import dev.vse.app.Settings;
import dev.vse.detect.StateStore;
import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.SimSession;
import dev.vse.simulator.SimulatorOptions;
import dev.vse.testkit.EmbeddedKafka;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * End-to-end benchmark of the real pipeline (Camel Main, YAML routes, file state store, Kafka producer)
 * against the EM simulator holding a large estate, with the in-JVM Kafka broker. A {@code main}, not a test:
 * {@code mvn -q -Pbench test-compile exec:exec -Dbench.args="sessions=100000 cycles=5 change=0.01"}.
 *
 * <p>Measures the first load (sessions/s), then steady cycles after changing a fraction of the estate
 * (HTTP requests, bytes, CPU, wall time, records), a steady cycle without changes, and the heap per
 * tracked session. See {@code docs/benchmark.md}.
 */
public final class PipelineBenchmark {
    private static final String EM = "em01";
    private static final String BACKUP = SimSession.BACKUP;
    private static final String REPLICA = SimSession.REPLICA;
    private static final String[] RESULTS = {"Success", "Warning", "Failed"};

    // options
    private final int sessions;
    private final int cycles;
    private final double change;
    private final int jobs;
    private final int running;
    private final int days;
    private final Duration interval;
    private final Duration lag;
    private final int pageSize;
    private final String policy;
    /** {@code file} or {@code kafka} (STATE_STORE). */
    private final String store;

    private final Random random = new Random(42);
    private final List<Job> jobList = new ArrayList<>();
    /** Running sessions, oldest first: the ones the next change finishes. */
    private final Deque<SimSession> runningSessions = new ArrayDeque<>();
    /** Recently stopped sessions: their EndTime is corrected by a change. */
    private final Deque<SimSession> recentlyStopped = new ArrayDeque<>();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private EmSimulator em;
    private PipelineApp app;
    private Admin admin;
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> topics = List.of("completed-" + suffix, "failed-" + suffix, "changes-" + suffix, "dlq-" + suffix);

    private record Job(String id, String name, String sessionType, String jobType) { }

    private PipelineBenchmark(Map<String, String> args) {
        sessions = Integer.parseInt(args.getOrDefault("sessions", "100000"));
        cycles = Integer.parseInt(args.getOrDefault("cycles", "5"));
        change = Double.parseDouble(args.getOrDefault("change", "0.01"));
        jobs = Integer.parseInt(args.getOrDefault("jobs", "300"));
        running = Integer.parseInt(args.getOrDefault("running", Integer.toString(Math.min(300, Math.max(1, sessions / 100)))));
        days = Integer.parseInt(args.getOrDefault("days", "5"));
        interval = Duration.ofSeconds(Long.parseLong(args.getOrDefault("interval", "5")));
        lag = Duration.ofSeconds(Long.parseLong(args.getOrDefault("lag", "1")));
        pageSize = Integer.parseInt(args.getOrDefault("page-size", "1000"));
        policy = args.getOrDefault("policy", "all");
        store = args.getOrDefault("store", "file");
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (String a : argv) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                System.err.println("arguments are key=value: sessions=100000 cycles=5 change=0.01 "
                        + "[jobs=300 running=300 days=5 interval=5 lag=1 page-size=1000 policy=all]");
                System.exit(2);
            }
            args.put(a.substring(0, eq).trim(), a.substring(eq + 1).trim());
        }
        int rc;
        try {
            rc = new PipelineBenchmark(args).run();
        } catch (Exception e) {
            e.printStackTrace();
            rc = 1;
        }
        System.out.flush();
        // the broker and Camel leave non-daemon threads behind: end the JVM explicitly
        Runtime.getRuntime().halt(rc);
    }

    // ------------------------------------------------------------------ the run

    private int run() throws Exception {
        long t0 = System.nanoTime();
        Path stateDir = Files.createTempDirectory("vse-bench-state");
        List<String> report = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             EmSimulator sim = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"))) {
            em = sim;
            admin = admin(kafka.bootstrapServers());
            createTopics();

            Instant now = Instant.now();
            fillEstate(now);
            em.refresh(); // the simulator's API snapshot of the estate exists before the heap baseline
            log("estate: " + em.estate().summary());
            long heapBaseline = usedHeapAfterGc();

            // ---- first load
            Map<String, String> o = overrides(kafka.bootstrapServers(), stateDir);
            Settings settings = Settings.load(Map.of(), o);
            Counters before = counters();
            long startNanos = System.nanoTime();
            app = new PipelineApp(AppConfig.from(settings), settings);
            app.start();
            StateStore store = app.store();
            while (store.watermark(EM, BACKUP).isEmpty() || store.watermark(EM, REPLICA).isEmpty()) {
                Thread.sleep(20);
            }
            long firstLoadNanos = System.nanoTime() - startNanos;
            Counters afterFirst = counters();
            Delta first = afterFirst.minus(before);
            List<String> firstTop = topThreads(before, afterFirst, 6);
            int tracked = store.size(EM);
            long pages = em.estate().all().stream().collect(java.util.stream.Collectors.groupingBy(SimSession::getSessionType,
                    java.util.stream.Collectors.counting())).values().stream().mapToLong(n -> (n + pageSize - 1) / pageSize).sum();
            double perSecond = sessions / (firstLoadNanos / 1e9);
            log(String.format(Locale.ROOT, "first load: %d sessions in %.1f s", sessions, firstLoadNanos / 1e9));

            // ---- heap per tracked session (approximate)
            long heapAfter = usedHeapAfterGc();
            double heapPerSession = (heapAfter - heapBaseline) / (double) Math.max(1, tracked);

            // ---- steady cycles
            waitForNextCycle(store); // a cycle may have been overdue behind the first load: let it pass
            List<Row> rows = new ArrayList<>();
            int perCycle = (int) Math.round(sessions * change);
            for (int i = 1; i <= cycles; i++) {
                rows.add(steadyCycle(store, "steady " + i, perCycle));
            }
            rows.add(steadyCycle(store, "no change", 0));
            rows.add(steadyCycle(store, "no change", 0));
            rows.add(steadyCycle(store, "10x change", perCycle * 10));
            app.close(); // while the simulator still answers the logout
            app = null;

            // ---- report
            report.add("");
            report.add("=== PipelineBenchmark: " + String.join(" ", List.of(
                    "sessions=" + sessions, "cycles=" + cycles, "change=" + change, "jobs=" + jobs, "running=" + running,
                    "days=" + days, "interval=" + interval.toSeconds() + "s", "lag=" + lag.toSeconds() + "s",
                    "page-size=" + pageSize, "policy=" + policy, "store=" + this.store)) + " ===");
            report.add(String.format(Locale.ROOT, "machine: %d cores, Java %s, -Xmx%d MB",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                    Runtime.getRuntime().maxMemory() >> 20));
            report.add("pipeline overrides: initial-load.policy=" + policy + ", poll.lag-margin=" + lag.toSeconds()
                    + "s (default 30m), poll.interval=" + interval.toSeconds() + "s, em.page-size=" + pageSize
                    + ", poll.initial-lookback=30d");
            report.add("");
            report.add(String.format(Locale.ROOT, "first load: %,d sessions (%,d tracked) in %.1f s = %,.0f sessions/s; "
                            + "%,d records published; %,d HTTP requests, %,.1f MB served",
                    sessions, tracked, firstLoadNanos / 1e9, perSecond, first.records, first.requests, first.bytes / 1e6));
            report.add(String.format(Locale.ROOT, "            pages: %,d (query pages of %d sessions) = %,.1f pages/s with STATE_STORE=%s",
                    pages, pageSize, pages / (firstLoadNanos / 1e9), this.store));
            report.add(String.format(Locale.ROOT, "            CPU: process %.1f s, pipeline threads %.1f s (Camel %.1f + "
                            + "Kafka producer %.1f), simulator threads %.1f s",
                    first.processCpu / 1e9, (first.camelCpu + first.producerCpu) / 1e9, first.camelCpu / 1e9,
                    first.producerCpu / 1e9, first.simulatorCpu / 1e9));
            report.add("            top threads by CPU: " + String.join("; ", firstTop));
            report.add(String.format(Locale.ROOT, "heap: %.1f MB before pipeline start (broker + simulator + estate), "
                            + "%.1f MB after first load -> ~%,.0f bytes per tracked session (approximate)",
                    heapBaseline / 1e6, heapAfter / 1e6, heapPerSession));
            report.add("");
            report.add(String.format(Locale.ROOT, "%-10s %8s %8s %9s %9s %10s %9s %9s %9s %9s %8s",
                    "cycle", "changes", "window", "requests", "KB", "records", "wall ms", "proc ms", "pipe ms", "sim ms",
                    "idle ms"));
            for (Row r : rows) {
                report.add(String.format(Locale.ROOT, "%-10s %8d %8d %9d %9.1f %10d %9d %9.0f %9.0f %9.0f %8.0f",
                        r.name, r.changes, r.window, r.d.requests, r.d.bytes / 1024.0, r.d.records, r.wallMillis,
                        r.d.processCpu / 1e6, (r.d.camelCpu + r.d.producerCpu) / 1e6, r.d.simulatorCpu / 1e6,
                        r.idle.processCpu / 1e6));
            }
            report.add("");
            report.add("(10x change: running and recently stopped sessions run short, so fewer than 10x may change)");
            report.add("changes  = sessions changed in the simulator before the cycle (finished, started, new short runs,");
            report.add("           EndTime corrections); window = sessions the query returned (seen by the cycle)");
            report.add("requests/KB = simulator counters during the cycle; records = Kafka end offsets delta (4 topics)");
            report.add("wall ms  = from the cycle's start instant (its new watermark) to both watermarks committed");
            report.add("proc ms  = process CPU during the cycle: pipeline + simulator + broker + this benchmark (one JVM)");
            report.add("pipe ms  = CPU of threads named Camel* (routes: HTTP client, XML, detection, store) + kafka-producer*");
            report.add("sim ms   = CPU of the simulator's em-simulator threads (filtering 100% of the estate per query epoch)");
            report.add("idle ms  = process CPU in the gap before the cycle started (broker and JVM background, not counted above)");

            for (String line : report) {
                System.out.println(line);
            }
            System.out.printf(Locale.ROOT, "%ntotal benchmark time %.0f s%n", (System.nanoTime() - t0) / 1e9);
            return 0;
        } finally {
            if (app != null) {
                app.close();
            }
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
            }
            deleteQuietly(stateDir);
        }
    }

    private record Row(String name, int changes, int window, Delta d, Delta idle, long wallMillis) { }

    /**
     * Right after a cycle completed: changes {@code n} sessions, waits for the next cycle to start (the first
     * simulator request) and to complete (both watermarks at or after that start), measuring only the cycle.
     */
    private Row steadyCycle(StateStore store, String name, int n) throws InterruptedException {
        int made = applyChanges(n);
        Instant changed = Instant.now();
        Counters gap = counters();
        // the cycle starts with its first EM request
        while (em.requestCount() == gap.requests) {
            Thread.sleep(1);
        }
        Counters start = counters();
        Instant bw;
        Instant rw;
        while (true) {
            bw = store.watermark(EM, BACKUP).orElseThrow();
            rw = store.watermark(EM, REPLICA).orElseThrow();
            if (bw.isAfter(changed) && rw.isAfter(changed)) {
                break;
            }
            Thread.sleep(2);
        }
        Instant done = Instant.now();
        Counters end = counters();
        // HTTP and Kafka counters from before the first request (nothing happens in the gap), CPU from its start
        Delta io = end.minus(gap);
        Delta cpu = end.minus(start);
        Delta d = new Delta(io.requests(), io.bytes(), io.records(), cpu.processCpu(), cpu.camelCpu(), cpu.producerCpu(),
                cpu.simulatorCpu());
        if (wallOf(bw, done) > interval.toMillis()) {
            log("WARNING: " + name + " took longer than the poll interval; it may span more than one cycle");
        }
        int window = windowSize(changed);
        long wall = wallOf(bw, done);
        log(String.format(Locale.ROOT, "%s: %d changes, %d requests, %d records, %d ms", name, made, d.requests, d.records, wall));
        return new Row(name, made, window, d, start.minus(gap), wall);
    }

    private static long wallOf(Instant cycleStart, Instant done) {
        return Duration.between(cycleStart, done).toMillis();
    }

    /** Sessions the cycle's query answered: running, or created/ended at or after the window start (approx.). */
    private int windowSize(Instant changed) {
        // the watermark before the changes was the previous cycle's start; the window is that minus the lag
        // margin, truncated to seconds. Count from the simulator's estate the same way.
        Instant w = lastWindowStart;
        int count = 0;
        for (SimSession s : em.estate().all()) {
            if (!"Stopped".equals(s.getState()) || !s.getCreationTime().isBefore(w)
                    || (s.getEndTime() != null && !s.getEndTime().isBefore(w))) {
                count++;
            }
        }
        return count;
    }

    private Instant lastWindowStart = Instant.EPOCH;

    /** Waits for one complete cycle (both watermarks advance past now). */
    private void waitForNextCycle(StateStore store) throws InterruptedException {
        Instant now = Instant.now();
        while (!store.watermark(EM, BACKUP).orElseThrow().isAfter(now) || !store.watermark(EM, REPLICA).orElseThrow().isAfter(now)) {
            Thread.sleep(5);
        }
    }

    // ------------------------------------------------------------------ the estate

    private void fillEstate(Instant now) {
        for (int j = 0; j < jobs; j++) {
            boolean replica = j % 10 == 9;
            String name = (replica ? "Replica " : "Backup ") + j;
            jobList.add(new Job(UUID.nameUUIDFromBytes(name.getBytes()).toString(), name,
                    replica ? REPLICA : BACKUP, replica ? "Replica" : "Backup"));
        }
        Duration span = Duration.ofDays(days);
        long stepMicros = span.toNanos() / 1000 / sessions;
        Instant first = now.minus(span);
        for (int i = 0; i < sessions; i++) {
            Instant created = first.plus(stepMicros * i, java.time.temporal.ChronoUnit.MICROS);
            SimSession s = newSession(jobList.get(i % jobs), created);
            if (i >= sessions - running) {
                s.setState("Working").setResult("None").setProgress(random.nextInt(100));
                runningSessions.add(s);
            } else {
                Instant end = created.plusSeconds(300 + random.nextInt(3300));
                if (end.isAfter(now.minusSeconds(60))) {
                    end = now.minusSeconds(60);
                }
                s.setState("Stopped").setResult(result()).setEndTime(end).setProgress(100);
                if (i >= sessions - running - 1000) {
                    recentlyStopped.add(s);
                }
            }
            em.estate().put(s);
        }
    }

    /**
     * Changes {@code n} sessions with timestamps of now, as EM shows them between two cycles: a quarter of
     * them running sessions finishing (as many new ones start), a quarter new short runs already finished,
     * the rest EndTime corrections of recently finished sessions. Returns the number of sessions changed.
     */
    private int applyChanges(int n) {
        lastWindowStart = currentWindowStart();
        if (n == 0) {
            return 0;
        }
        Instant now = Instant.now();
        int finish = Math.min(n / 4, runningSessions.size());
        int shortRuns = n / 4;
        int corrections = Math.max(0, n - 2 * finish - shortRuns);
        List<SimSession> finished = new ArrayList<>();
        for (int i = 0; i < finish; i++) {
            SimSession s = runningSessions.poll();
            String r = result();
            em.estate().update(s.getId(), x -> x.setState("Stopped").setResult(r).setEndTime(now).setProgress(100));
            finished.add(s);
        }
        for (int i = 0; i < finish; i++) {
            SimSession s = newSession(jobList.get(random.nextInt(jobs)), now).setState("Working").setResult("None").setProgress(1);
            em.estate().put(s);
            runningSessions.add(s);
        }
        for (int i = 0; i < shortRuns; i++) {
            SimSession s = newSession(jobList.get(random.nextInt(jobs)), now.minusSeconds(60 + random.nextInt(600)))
                    .setState("Stopped").setResult(result()).setEndTime(now).setProgress(100);
            em.estate().put(s);
            finished.add(s);
        }
        int corrected = 0;
        for (; corrected < corrections && !recentlyStopped.isEmpty(); corrected++) {
            SimSession s = recentlyStopped.poll();
            em.estate().update(s.getId(), x -> x.setEndTime(now));
        }
        recentlyStopped.addAll(finished);
        return 2 * finish + shortRuns + corrected;
    }

    /** Start of the next cycle's query window: the last cycle start minus the lag margin, whole seconds. */
    private Instant currentWindowStart() {
        Optional<Instant> w = app.store().watermark(EM, BACKUP);
        return w.map(x -> x.minus(lag).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).orElse(Instant.EPOCH);
    }

    private SimSession newSession(Job job, Instant created) {
        return new SimSession(job.sessionType, UUID.randomUUID().toString(), job.id, job.name, job.jobType, created);
    }

    private String result() {
        int r = random.nextInt(100);
        return r < 85 ? RESULTS[0] : r < 95 ? RESULTS[1] : RESULTS[2];
    }

    // ------------------------------------------------------------------ pipeline settings

    private Map<String, String> overrides(String bootstrap, Path stateDir) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("em.url", em.baseUrl());
        o.put("em.username", "admin");
        o.put("em.password", "admin");
        o.put("kafka.bootstrap-servers", bootstrap);
        o.put("state.dir", stateDir.toString());
        o.put("topic.completed", topics.get(0));
        o.put("topic.failed", topics.get(1));
        o.put("topic.changes", topics.get(2));
        o.put("topic.dlq", topics.get(3));
        o.put("poll.interval", interval.toSeconds() + "s");
        o.put("poll.lag-margin", lag.toSeconds() + "s");
        o.put("poll.initial-lookback", "30d");
        o.put("em.page-size", Integer.toString(pageSize));
        o.put("initial-load.policy", policy);
        o.put("events.console", "false");
        o.put("state.store", store);
        o.put("topic.state", "state-" + suffix);
        o.put("state.kafka.transactional-id-prefix", "bench-" + suffix + "-");
        return o;
    }

    // ------------------------------------------------------------------ measurements

    private record Delta(long requests, long bytes, long records, long processCpu, long camelCpu, long producerCpu,
                         long simulatorCpu) { }

    private final class Counters {
        final long requests = em.requestCount();
        final long bytes = em.bytesServed();
        final long records = records();
        final long processCpu = os.getProcessCpuTime();
        final Map<Long, long[]> byThread = threadCpu();

        Delta minus(Counters b) {
            long camel = 0;
            long producer = 0;
            long simulator = 0;
            for (Map.Entry<Long, long[]> e : byThread.entrySet()) {
                long[] now = e.getValue();
                long[] then = b.byThread.get(e.getKey());
                long d = now[1] - (then == null ? 0 : then[1]);
                switch ((int) now[0]) {
                    case 1 -> camel += d;
                    case 2 -> producer += d;
                    case 3 -> simulator += d;
                    default -> { }
                }
            }
            return new Delta(requests - b.requests, bytes - b.bytes, records - b.records, processCpu - b.processCpu,
                    camel, producer, simulator);
        }
    }

    private final Map<Long, String> threadNames = new java.util.concurrent.ConcurrentHashMap<>();

    /** The threads that used most CPU between two counters (names with digits folded, summed). */
    private List<String> topThreads(Counters a, Counters b, int n) {
        Map<String, Long> byName = new HashMap<>();
        for (Map.Entry<Long, long[]> e : b.byThread.entrySet()) {
            long[] then = a.byThread.get(e.getKey());
            long d = e.getValue()[1] - (then == null ? 0 : then[1]);
            String name = threadNames.getOrDefault(e.getKey(), "?").replaceAll("[0-9]+", "#");
            byName.merge(name, d, Long::sum);
        }
        return byName.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                .map(e -> String.format(Locale.ROOT, "%.1f s %s", e.getValue() / 1e9, e.getKey())).toList();
    }

    private Counters counters() {
        return new Counters();
    }

    /** Thread id -> {category, cpu nanos}; category 1 = Camel*, 2 = kafka-producer*, 3 = em-simulator, 0 = other. */
    private Map<Long, long[]> threadCpu() {
        Map<Long, long[]> out = new HashMap<>();
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(t.getThreadId());
            if (cpu < 0) {
                continue;
            }
            String n = t.getThreadName();
            int category = n.startsWith("Camel") ? 1 : n.startsWith("kafka-producer") ? 2 : n.startsWith("em-simulator") ? 3 : 0;
            out.put(t.getThreadId(), new long[] {category, cpu});
            threadNames.put(t.getThreadId(), n);
        }
        return out;
    }

    /** Sum of the end offsets of the run's topics (records published; idempotent producer, no transactions). */
    private long records() {
        try {
            Map<String, TopicDescription> d = admin.describeTopics(topics).allTopicNames().get();
            Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
            d.values().forEach(t -> t.partitions().forEach(p -> specs.put(new TopicPartition(t.name(), p.partition()),
                    OffsetSpec.latest())));
            return admin.listOffsets(specs).all().get().values().stream().mapToLong(i -> i.offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read end offsets: " + e.getMessage(), e);
        }
    }

    private void createTopics() throws Exception {
        admin.createTopics(topics.stream().map(t -> new NewTopic(t, 3, (short) 1)).toList()).all().get();
    }

    private static Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(p);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(300);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static void log(String line) {
        System.out.println("[bench] " + line);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // temp dir: leave it
        }
    }
}

package dev.vse.bench;

import static dev.vse.bench.BenchKit.deleteQuietly;
import static dev.vse.bench.BenchKit.log;
import static dev.vse.bench.BenchKit.usedHeapAfterGc;

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

    /** Which phases run (see docs/benchmark.md "How to run"). */
    private final Map<String, String> args;
    private final boolean mainPhase;
    private final boolean floorPhase;
    private final String latency;
    private final int ems;
    private final boolean startupPhase;
    private final boolean containerPhase;

    /** The RESULT lines, in the order printed; NaN until (unless) a phase fills them in. */
    private final Map<String, Double> results = new LinkedHashMap<>();
    private static final List<String> RESULT_NAMES = List.of("first_load_sessions_per_s", "floor_sessions_per_s",
            "first_load_floor_ratio", "heap_bytes_per_session", "steady_pipeline_cpu_ms", "steady_bytes_ratio",
            "latency_p99_ms", "startup_ms", "ems_200_max_cycle_delay_ms");
    /** Summary lines of the extra phases, printed after the main table. */
    private final List<String> extra = new ArrayList<>();

    private PipelineBenchmark(Map<String, String> args) {
        this.args = args;
        mainPhase = on(args.getOrDefault("main", "on"));
        floorPhase = on(args.getOrDefault("floor", "on"));
        latency = args.getOrDefault("latency", "on").toLowerCase(Locale.ROOT);
        if (!List.of("on", "off", "5s-only", "60s-only").contains(latency)) {
            throw new IllegalArgumentException("latency= on|off|5s-only|60s-only, got " + latency);
        }
        ems = Integer.parseInt(args.getOrDefault("ems", "200"));
        startupPhase = on(args.getOrDefault("startup", "on"));
        containerPhase = on(args.getOrDefault("container", "on"));
        RESULT_NAMES.forEach(n -> results.put(n, Double.NaN));
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

    private static boolean on(String v) {
        if (!v.equalsIgnoreCase("on") && !v.equalsIgnoreCase("off")) {
            throw new IllegalArgumentException("expected on or off, got " + v);
        }
        return v.equalsIgnoreCase("on");
    }

    public static void main(String[] argv) throws Exception {
        PipelineBenchmark bench;
        try {
            bench = new PipelineBenchmark(BenchKit.parse(argv));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "; arguments are key=value, see docs/benchmark.md: sessions=100000 cycles=5 "
                    + "change=0.01 [jobs= running= days= interval= lag= page-size= policy= store= main=on floor=on "
                    + "latency=on|off|5s-only|60s-only ems=200 startup=on container=on ...]");
            Runtime.getRuntime().halt(2);
            return;
        }
        int rc;
        try {
            rc = bench.runAll();
        } catch (Exception e) {
            e.printStackTrace();
            rc = 1;
        }
        System.out.flush();
        // the broker and Camel leave non-daemon threads behind: end the JVM explicitly
        Runtime.getRuntime().halt(rc);
    }

    // ------------------------------------------------------------------ the phases

    private int runAll() throws Exception {
        long t0 = System.nanoTime();
        log("phases: main=" + (mainPhase ? "on" : "off") + " floor=" + (mainPhase && floorPhase ? "on" : "off")
                + " latency=" + latency + " ems=" + ems + " startup=" + (startupPhase ? "on" : "off")
                + " container=" + (containerPhase ? "on" : "off"));
        int rc = 0;
        ChildRuns.verbose = on(args.getOrDefault("child-log", "off"));
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            if (mainPhase) {
                rc |= phase("main", () -> run(kafka));
            }
            if (!latency.equals("off")) {
                rc |= phase("latency", () -> latencyPhase(kafka.bootstrapServers()));
            }
            if (ems > 0) {
                rc |= phase("ems", () -> emsPhase(kafka.bootstrapServers()));
            }
            if (startupPhase || containerPhase) {
                if (!ChildRuns.jarPresent()) {
                    String m = "SKIPPED startup/container: " + ChildRuns.JAR.toAbsolutePath()
                            + " is missing (build it: mvn -o -q package -DskipTests)";
                    log(m);
                    extra.add(m);
                } else {
                    if (startupPhase) {
                        rc |= phase("startup", () -> startupPhase(kafka.bootstrapServers()));
                    }
                    if (containerPhase) {
                        rc |= phase("container", () -> containerPhase(kafka.bootstrapServers()));
                    }
                }
            }
        }
        System.out.println();
        extra.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "%ntotal benchmark time %.0f s%n", (System.nanoTime() - t0) / 1e9);
        for (Map.Entry<String, Double> r : results.entrySet()) {
            System.out.println("RESULT " + r.getKey() + " " + number(r.getValue()));
        }
        return rc;
    }

    private static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "NaN";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : Math.abs(v) >= 1 ? "%.3f" : "%.4f", v);
    }

    private interface Phase {
        void run() throws Exception;
    }

    /** Runs one phase; a failure is reported and leaves its RESULT lines NaN, the other phases still run. */
    private int phase(String name, Phase p) {
        long t = System.nanoTime();
        try {
            p.run();
            log(String.format(Locale.ROOT, "phase %s took %.0f s", name, (System.nanoTime() - t) / 1e9));
            return 0;
        } catch (Exception | Error e) {
            System.out.println("[bench] phase " + name + " FAILED: " + e);
            e.printStackTrace(System.out);
            extra.add("phase " + name + " FAILED: " + e);
            if (app != null) {
                try {
                    app.close();
                } catch (RuntimeException ignored) {
                    // best effort
                }
                app = null;
            }
            return 1;
        }
    }

    private void latencyPhase(String bootstrap) throws Exception {
        int n = Integer.parseInt(args.getOrDefault("latency-changes", "1000"));
        int estate = Integer.parseInt(args.getOrDefault("latency-sessions", "2000"));
        Duration latLag = durationArg("latency-lag", "30m");
        Duration def = durationArg("latency-interval", "60s");
        int defCycles = Integer.parseInt(args.getOrDefault("latency-cycles", "4"));
        int fastCycles = Integer.parseInt(args.getOrDefault("latency-5s-cycles", "20"));
        if (!latency.equals("5s-only")) {
            LatencyPhase.Result r = LatencyPhase.run(bootstrap, def, n, defCycles, latLag, estate);
            extra.add(r.line() + " (lag margin " + latLag.toSeconds() + " s)");
            results.put("latency_p99_ms", r.p99());
        }
        if (!latency.equals("60s-only")) {
            LatencyPhase.Result r = LatencyPhase.run(bootstrap, Duration.ofSeconds(5), n, fastCycles, latLag, estate);
            extra.add(r.line() + " (lag margin " + latLag.toSeconds() + " s)");
        }
        if (latency.equals("5s-only")) {
            extra.add("NOTE: latency_p99_ms is the default interval's (" + def.toSeconds() + " s), not run (latency=5s-only)");
        }
    }

    private Duration durationArg(String key, String dflt) {
        return dev.vse.util.Durations.parse(args.getOrDefault(key, dflt));
    }

    private void emsPhase(String bootstrap) throws Exception {
        int perEm = Integer.parseInt(args.getOrDefault("ems-sessions", "500"));
        Duration iv = durationArg("ems-interval", "30s");
        int c = Integer.parseInt(args.getOrDefault("ems-cycles", "3"));
        ManyEmsPhase.Result r = ManyEmsPhase.run(bootstrap, ems, perEm, iv, c, Integer.parseInt(args.getOrDefault("ems-page-size", "500")));
        extra.add(String.format(Locale.ROOT, "%d EMs x %d sessions, one pipeline, POLL_INTERVAL %d s: every first load done in "
                        + "%.1f s; %d steady cycles, %d started later than due; lateness p99 %.0f ms, max %d ms", ems, perEm,
                iv.toSeconds(), r.firstLoadSeconds(), r.cyclesMeasured(), r.lateCycles(), r.p99DelayMillis(), r.maxDelayMillis()));
        if (r.cyclesMeasured() > 0) {
            results.put("ems_200_max_cycle_delay_ms", (double) Math.max(0, r.maxDelayMillis()));
        }
        if (ems != 200) {
            extra.add("NOTE: ems_200_max_cycle_delay_ms measured with ems=" + ems + ", not 200");
        }
    }

    private void startupPhase(String bootstrap) throws Exception {
        ChildRuns.Startup s = ChildRuns.startup(bootstrap, Integer.parseInt(args.getOrDefault("startup-runs", "5")));
        extra.add("startup (java -jar, ProcessBuilder.start() -> first EM request), ms: with the CDS archive "
                + s.withCds() + " -> median " + number(s.median()) + "; without " + s.withoutCds() + " -> median "
                + number(s.medianWithoutCds()));
        results.put("startup_ms", s.median());
    }

    private void containerPhase(String bootstrap) throws Exception {
        int n = Integer.parseInt(args.getOrDefault("container-sessions", "100000"));
        String xmx = args.getOrDefault("container-xmx", "192m");
        ChildRuns.Container c = ChildRuns.container(bootstrap, n, xmx, durationArg("container-timeout", "10m"));
        extra.add(String.format(Locale.ROOT, "container (java -Xmx%s -jar = -XX:MaxRAMPercentage=75 of 256 MB), %,d sessions, "
                        + "policy all: %s (%s); first load %.1f s after start; heap used after GC %.1f MB", c.xmx(), n,
                c.passed() ? "PASS" : "FAIL", c.reason(), c.firstLoadSeconds(), c.heapAfterGcMb()));
    }

    /** The store alone: heap per tracked session at 100k and 1M sessions, restart of the file store at 1M. */
    private void storeBenchmark() {
        if (!on(args.getOrDefault("store-bench", "on"))) {
            return;
        }
        try {
            for (String line : StoreBenchmark.run(List.of(100_000, 1_000_000), 1_000_000)) {
                extra.add(line);
            }
        } catch (Exception e) {
            log("store-alone figures: StoreBenchmark failed: " + e);
        }
    }

    // ------------------------------------------------------------------ the main phase

    private void run(EmbeddedKafka kafka) throws Exception {
        Path stateDir = Files.createTempDirectory("vse-bench-state");
        List<String> report = new ArrayList<>();
        try (EmSimulator sim = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"))) {
            em = sim;
            admin = admin(kafka.bootstrapServers());
            createTopics();

            Instant now = Instant.now();
            fillEstate(now);
            em.refresh(); // the simulator's API snapshot of the estate exists before the heap baseline
            log("estate: " + em.estate().summary());
            long heapBaseline = usedHeapAfterGc();

            // ---- first load
            Map<String, String> o = overrides(em.baseUrl(), kafka.bootstrapServers(), stateDir);
            Settings settings = Settings.load(Map.of(), o);
            java.util.concurrent.atomic.AtomicLong firstQuery = new java.util.concurrent.atomic.AtomicLong();
            em.observe((user, path) -> {
                if (path.equals("/api/query")) {
                    firstQuery.compareAndSet(0, System.nanoTime());
                }
            });
            Counters before = counters();
            long startNanos = System.nanoTime();
            app = new PipelineApp(AppConfig.from(settings), settings);
            app.start();
            StateStore store = app.store();
            awaitFirstCycles(store);
            long doneNanos = System.nanoTime();
            em.observe(null);
            long firstLoadNanos = doneNanos - startNanos;
            long fromRequestNanos = doneNanos - firstQuery.get();
            Counters afterFirst = counters();
            Delta first = afterFirst.minus(before);
            Map<TopicPartition, Long> firstLoadEnd = endOffsets();
            List<String> firstTop = topThreads(before, afterFirst, 6);
            int tracked = store.size(EM);
            long pages = em.estate().all().stream().collect(java.util.stream.Collectors.groupingBy(SimSession::getSessionType,
                    java.util.stream.Collectors.counting())).values().stream().mapToLong(n -> (n + pageSize - 1) / pageSize).sum();
            double perSecond = sessions / (fromRequestNanos / 1e9);
            double perSecondWithStart = sessions / (firstLoadNanos / 1e9);
            log(String.format(Locale.ROOT, "first load: %d sessions in %.1f s from the first query request (%.1f s from new PipelineApp)",
                    sessions, fromRequestNanos / 1e9, firstLoadNanos / 1e9));
            results.put("first_load_sessions_per_s", perSecond);

            // ---- heap per tracked session (approximate)
            long heapAfter = usedHeapAfterGc();
            double heapPerSession = (heapAfter - heapBaseline) / (double) Math.max(1, tracked);

            // ---- the floor's inputs, while the estate is still the first load's: its query pages, what it published
            Floor.Pages floorPages = Floor.fetchFirstLoadPages(em.baseUrl(), List.of(BACKUP, REPLICA), pageSize, Duration.ofDays(30));
            Floor.Published published = floorPhase ? Floor.published(kafka.bootstrapServers(), firstLoadEnd, 2000) : null;
            log(String.format(Locale.ROOT, "floor inputs: %d query pages, %,d sessions, %.1f MB (%.0f bytes of XML per session)",
                    floorPages.bodies().size(), floorPages.sessions(), floorPages.bytes() / 1e6, floorPages.bytesPerSession()));

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
            // the pipeline's own heap: with it running, then closed (what the simulator cached while serving stays in
            // both, so it is not counted); Camel, the clients and their buffers included, so an upper bound per session
            int trackedAtEnd = store.size(EM);
            long heapRunning = usedHeapAfterGc();
            histogram("with the pipeline running");
            app.close(); // while the simulator still answers the logout
            app = null;
            store = null;
            long heapClosed = usedHeapAfterGc();
            histogram("once the pipeline was closed");
            double pipelinePerSession = (heapRunning - heapClosed) / (double) Math.max(1, trackedAtEnd);
            results.put("heap_bytes_per_session", pipelinePerSession);
            // what of it does not grow with the sessions: the same pipeline tracking none
            long fixed = fixedPipelineHeap(kafka.bootstrapServers());
            double marginalPerSession = (heapRunning - heapClosed - fixed) / (double) Math.max(1, trackedAtEnd);

            List<Row> steady = rows.subList(0, cycles);
            results.put("steady_pipeline_cpu_ms", BenchKit.median(steady.stream()
                    .map(r -> (r.d.camelCpu + r.d.producerCpu) / 1e6).toList()));
            long steadyBytes = steady.stream().mapToLong(r -> r.d.bytes).sum();
            double windowXml = steady.stream().mapToDouble(r -> r.window * floorPages.bytesPerSession()).sum();
            results.put("steady_bytes_ratio", steadyBytes / windowXml);

            // ---- the floor: after the main phase, with the pipeline stopped (broker and simulator idle)
            String floorLine = "floor: skipped (floor=off)";
            if (floorPhase) {
                Floor.jaxbPass(floorPages); // warm-up
                long jaxb = Floor.jaxbPass(floorPages);
                Floor.readSessionsPass(floorPages); // warm-up
                long reader = Floor.readSessionsPass(floorPages);
                String floorTopic = "floor-" + suffix;
                admin.createTopics(List.of(new NewTopic(floorTopic, 3, (short) 1))).all().get();
                long kafkaNanos = Floor.kafkaPass(kafka.bootstrapServers(), floorTopic, published, published.records());
                double floor = sessions / ((jaxb + kafkaNanos) / 1e9);
                results.put("floor_sessions_per_s", floor);
                results.put("first_load_floor_ratio", perSecond / floor);
                floorLine = String.format(Locale.ROOT, "floor: %,.0f sessions/s = %,d sessions / (JAXB %.2f s + Kafka %.2f s); "
                                + "first load / floor = %.3f%n       JAXB: EmXml.unmarshal over %s%n"
                                + "       (the production page reader EmXml.readSessions over the same pages: %.2f s)%n"
                                + "       Kafka: raw KafkaProducer (the pipeline's settings: acks=all, idempotence, linger 5 ms, batch 256 KB), %,d records of the first "
                                + "load's sizes to a fresh 3-partition topic, all acked: %,.0f records/s",
                        floor, sessions, jaxb / 1e9, kafkaNanos / 1e9, perSecond / floor,
                        Floor.describe(floorPages, published), reader / 1e9, published.records(),
                        published.records() / (kafkaNanos / 1e9));
            }
            storeBenchmark();
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
            report.add(String.format(Locale.ROOT, "first load: %,d sessions (%,d tracked) in %.1f s from its first EM query "
                            + "request = %,.0f sessions/s (%.1f s = %,.0f sessions/s from new PipelineApp, Camel start-up included); "
                            + "%,d records published; %,d HTTP requests, %,.1f MB served",
                    sessions, tracked, fromRequestNanos / 1e9, perSecond, firstLoadNanos / 1e9, perSecondWithStart,
                    first.records, first.requests, first.bytes / 1e6));
            report.add("            " + floorLine);
            report.add(String.format(Locale.ROOT, "            pages: %,d (query pages of %d sessions) = %,.1f pages/s with STATE_STORE=%s",
                    pages, pageSize, pages / (fromRequestNanos / 1e9), this.store));
            report.add(String.format(Locale.ROOT, "            CPU: process %.1f s, pipeline threads %.1f s (Camel %.1f + "
                            + "Kafka producer %.1f), simulator threads %.1f s",
                    first.processCpu / 1e9, (first.camelCpu + first.producerCpu) / 1e9, first.camelCpu / 1e9,
                    first.producerCpu / 1e9, first.simulatorCpu / 1e9));
            report.add("            top threads by CPU: " + String.join("; ", firstTop));
            report.add(String.format(Locale.ROOT, "heap: %.1f MB before pipeline start (broker + simulator + estate), "
                            + "%.1f MB after first load -> ~%,.0f bytes per tracked session (approximate)",
                    heapBaseline / 1e6, heapAfter / 1e6, heapPerSession));
            report.add(String.format(Locale.ROOT, "      the pipeline's own: %.1f MB used after GC with it running (%,d sessions "
                            + "tracked), %.1f MB once it was closed -> %.1f MB = %,.0f bytes per tracked session, Camel, HTTP "
                            + "and Kafka clients included (RESULT heap_bytes_per_session); the store alone: the store: lines",
                    heapRunning / 1e6, trackedAtEnd, heapClosed / 1e6, (heapRunning - heapClosed) / 1e6, pipelinePerSession));
            report.add(String.format(Locale.ROOT, "      of which fixed: %.1f MB for the same pipeline tracking no session (an empty "
                            + "EM, running - closed); the rest grows with the sessions: %,.0f bytes per tracked session "
                            + "(the producer's buffers grown by the load included)", fixed / 1e6, marginalPerSession));
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

            report.add(String.format(Locale.ROOT, "steady (the %d cycles with changes): pipeline CPU median %.0f ms; bytes served "
                            + "%,d / XML of the window's sessions %,.0f (windows x %.0f bytes per session of a query page) = %.3f",
                    cycles, results.get("steady_pipeline_cpu_ms"), steadyBytes, windowXml, floorPages.bytesPerSession(),
                    results.get("steady_bytes_ratio")));
            for (String line : report) {
                System.out.println(line);
            }
        } finally {
            if (app != null) {
                app.close();
                app = null;
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

    /** Heap of the pipeline against an EM without sessions: its first cycles done, running minus closed. */
    private long fixedPipelineHeap(String bootstrap) throws Exception {
        Path dir = Files.createTempDirectory("vse-bench-empty");
        try (EmSimulator empty = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"))) {
            Settings settings = Settings.load(Map.of(), overrides(empty.baseUrl(), bootstrap, dir));
            long running;
            try (PipelineApp p = new PipelineApp(AppConfig.from(settings), settings)) {
                p.start();
                awaitFirstCycles(p.store());
                Thread.sleep(interval.toMillis() * 2); // a few regular cycles and a heartbeat
                running = usedHeapAfterGc();
            }
            return running - usedHeapAfterGc();
        } finally {
            deleteQuietly(dir);
        }
    }

    /** Both session types of {@link #EM} past their first cycle (both watermarks committed). */
    private static void awaitFirstCycles(StateStore store) throws InterruptedException {
        while (store.watermark(EM, BACKUP).isEmpty() || store.watermark(EM, REPLICA).isEmpty()) {
            Thread.sleep(5);
        }
    }

    /**
     * The main phase's pipeline overrides (BenchKit's, with this run's topics); {@code set.<property>=<value>}
     * arguments add to them (experiments).
     */
    private Map<String, String> overrides(String emUrl, String bootstrap, Path stateDir) {
        Map<String, String> o = BenchKit.overrides(emUrl, bootstrap, stateDir, suffix, interval, lag, pageSize, policy, store);
        args.forEach((k, v) -> {
            if (k.startsWith("set.")) {
                o.put(k.substring(4), v);
            }
        });
        return o;
    }

    /** {@code histogram=on}: the top of this JVM's class histogram (jcmd GC.class_histogram), to see what holds the heap. */
    private void histogram(String when) {
        if (!on(args.getOrDefault("histogram", "off"))) {
            return;
        }
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(ProcessHandle.current().pid()), "GC.class_histogram").redirectErrorStream(true).start();
            List<String> lines = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .limit(25).toList();
            p.waitFor();
            log("class histogram " + when + ":\n" + String.join("\n", lines));
        } catch (Exception e) {
            log("class histogram " + when + ": " + e);
        }
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
    /** End offsets of the run's topics, per partition. */
    private Map<TopicPartition, Long> endOffsets() {
        try {
            Map<String, TopicDescription> d = admin.describeTopics(topics).allTopicNames().get();
            Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
            d.values().forEach(t -> t.partitions().forEach(p -> specs.put(new TopicPartition(t.name(), p.partition()),
                    OffsetSpec.latest())));
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(specs).all().get().forEach((tp, i) -> out.put(tp, i.offset()));
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read end offsets: " + e.getMessage(), e);
        }
    }

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
}

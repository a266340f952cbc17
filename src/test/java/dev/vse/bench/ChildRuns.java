package dev.vse.bench;

import static dev.vse.bench.BenchKit.f;
import static dev.vse.bench.BenchKit.log;

import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.SimulatorOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Items 6 and 7: the production jar in a child JVM ({@code java -jar target/veeam-session-events.jar}), configured
 * through environment variables only, against a simulator of this JVM and the in-JVM broker.
 */
final class ChildRuns {
    static final Path JAR = Path.of("target", "veeam-session-events.jar");

    /** child-log=on: print the first startup child's log and the container child's metrics. */
    static boolean verbose;

    private ChildRuns() { }

    /** Start-up in ms, each run: with the class-data-sharing archive (as the image runs it), and without. */
    record Startup(List<Long> withCds, List<Long> withoutCds, double median, double medianWithoutCds) { }

    record Container(boolean passed, String reason, double firstLoadSeconds, double heapAfterGcMb, String xmx) { }

    static boolean jarPresent() {
        return Files.isRegularFile(JAR);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The environment of a child polling {@code em} (README "Configuration"), topics and state of its own. */
    private static Map<String, String> env(ProcessBuilder pb, EmSimulator em, String bootstrap, Path stateDir, int mgmtPort,
            String pollInterval) {
        String s = BenchKit.suffix();
        Map<String, String> e = pb.environment();
        e.put("EM_URL", em.baseUrl());
        e.put("EM_USERNAME", "admin");
        e.put("EM_PASSWORD", "admin");
        e.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        e.put("STATE_DIR", stateDir.toString());
        e.put("TOPIC_COMPLETED", "completed-" + s);
        e.put("TOPIC_FAILED", "failed-" + s);
        e.put("TOPIC_CHANGES", "changes-" + s);
        e.put("TOPIC_DLQ", "dlq-" + s);
        e.put("TOPIC_HEARTBEAT", "heartbeat-" + s);
        e.put("TOPIC_JOB_ALERTS", "alerts-" + s);
        e.put("TOPIC_STATE", "state-" + s);
        e.put("CAMEL_MANAGEMENT_PORT", Integer.toString(mgmtPort));
        e.put("POLL_INTERVAL", pollInterval);
        e.put("EVENTS_CONSOLE", "false");
        return e;
    }

    /**
     * Wall time from {@code ProcessBuilder.start()} to the simulator's first request (any request). First one run,
     * not counted, that writes a class-data-sharing archive when it stops (SIGTERM), as deploy/docker/start.sh does on
     * a container's first start; then {@code runs} pairs, with that archive and without, one after the other.
     */
    static Startup startup(String bootstrap, int runs) throws Exception {
        List<Long> with = new ArrayList<>();
        List<Long> without = new ArrayList<>();
        Path archive = Files.createTempDirectory("vse-bench-cds").resolve("vse.jsa");
        try (EmSimulator em = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"))) {
            BenchKit.fillEstate(em, Instant.now(), 100, 10, 5, 1, new Random(3), null, null, "startup ");
            em.refresh();
            long training = startOnce(em, bootstrap, "-XX:ArchiveClassesAtExit=" + archive, Duration.ofSeconds(5));
            log(f("startup training run (writes %s at its stop): %d ms; archive %s", archive, training,
                    Files.isRegularFile(archive) ? Files.size(archive) / (1024 * 1024) + " MB" : "MISSING"));
            for (int i = 0; i < runs; i++) {
                long a = startOnce(em, bootstrap, "-XX:SharedArchiveFile=" + archive, Duration.ZERO);
                long b = startOnce(em, bootstrap, null, Duration.ZERO);
                with.add(a);
                without.add(b);
                log(f("startup run %d: %d ms with the CDS archive, %d ms without (ProcessBuilder.start() -> first EM request)",
                        i + 1, a, b));
            }
        } finally {
            Files.deleteIfExists(archive);
        }
        return new Startup(with, without, BenchKit.median(with.stream().map(Long::doubleValue).toList()),
                BenchKit.median(without.stream().map(Long::doubleValue).toList()));
    }

    /** One child until its first EM request (then {@code linger} more, then SIGTERM); the ms to that request. */
    private static long startOnce(EmSimulator em, String bootstrap, String jvmOption, Duration linger) throws Exception {
        Path stateDir = Files.createTempDirectory("vse-bench-startup");
        Path logFile = Files.createTempFile("vse-bench-startup", ".log");
        List<String> cmd = new ArrayList<>(List.of(java()));
        if (jvmOption != null) {
            cmd.add(jvmOption);
        }
        cmd.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        env(pb, em, bootstrap, stateDir, BenchKit.freePort(), "60s");
        pb.redirectErrorStream(true).redirectOutput(logFile.toFile());
        long before = em.requestCount();
        long t = System.nanoTime();
        Process p = pb.start();
        long deadline = t + Duration.ofSeconds(120).toNanos();
        // a short sleep, not a spin: on 2 cores a spinning thread takes a core from the child it times
        while (em.requestCount() == before && System.nanoTime() < deadline && p.isAlive()) {
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
        long ms = (System.nanoTime() - t) / 1_000_000;
        boolean ok = em.requestCount() > before;
        Thread.sleep(linger.toMillis());
        kill(p);
        if (!ok) {
            throw new IllegalStateException("child made no EM request (alive " + p.isAlive() + "); log " + logFile
                    + ":\n" + tail(logFile));
        }
        if (verbose) {
            log("child log:\n" + String.join("\n", Files.readAllLines(logFile)));
        }
        BenchKit.deleteQuietly(stateDir);
        Files.deleteIfExists(logFile);
        return ms;
    }

    /**
     * The child with {@code -Xmx<xmx>} against a simulator of {@code sessions} sessions (policy all, 30 d lookback:
     * the first load reads and publishes everything): passes when both session types report a successful cycle
     * ({@code vse_last_successful_cycle_timestamp_seconds} > 0 on /observe/metrics) with no OutOfMemoryError in the
     * child's output and the child alive. Then {@code jcmd <pid> GC.run} and the heap in use from {@code GC.heap_info}.
     */
    static Container container(String bootstrap, int sessions, String xmx, Duration timeout) throws Exception {
        try (EmSimulator em = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"))) {
            BenchKit.fillEstate(em, Instant.now(), sessions, 300, Math.min(300, Math.max(1, sessions / 100)), 5, new Random(5),
                    null, null, "");
            em.refresh();
            Path stateDir = Files.createTempDirectory("vse-bench-container");
            Path logFile = Files.createTempFile("vse-bench-container", ".log");
            int port = BenchKit.freePort();
            ProcessBuilder pb = new ProcessBuilder(java(), "-Xmx" + xmx, "-XX:+ExitOnOutOfMemoryError", "-jar", JAR.toString());
            Map<String, String> e = env(pb, em, bootstrap, stateDir, port, "60s");
            e.put("INITIAL_LOAD_POLICY", "all");
            e.put("POLL_INITIAL_LOOKBACK", "30d");
            pb.redirectErrorStream(true).redirectOutput(logFile.toFile());
            long t = System.nanoTime();
            Process p = pb.start();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            URI metrics = URI.create("http://127.0.0.1:" + port + "/observe/metrics");
            try {
                long deadline = t + timeout.toNanos();
                while (System.nanoTime() < deadline && p.isAlive()) {
                    Thread.sleep(1000);
                    String m = get(http, metrics);
                    if (m != null && cycleDone(m, "BackupJobSession") && cycleDone(m, "ReplicaJobSession")) {
                        double seconds = (System.nanoTime() - t) / 1e9;
                        double heap = Double.NaN;
                        try {
                            jcmd(p.pid(), "GC.run");
                            String info = jcmd(p.pid(), "GC.heap_info");
                            if (verbose) {
                                log("jcmd GC.heap_info:\n" + info);
                            }
                            heap = heapUsedKb(info) / 1024.0;
                        } catch (Exception ex) {
                            log("jcmd failed: " + ex);
                        }
                        boolean oom = Files.readString(logFile).contains("OutOfMemoryError");
                        return new Container(!oom && p.isAlive(), oom ? "OutOfMemoryError in the child's log" : "first load complete",
                                seconds, heap, xmx);
                    }
                }
                String log = Files.readString(logFile);
                String reason = !p.isAlive() ? "child exited with " + p.exitValue() + (log.contains("OutOfMemoryError")
                        ? " (OutOfMemoryError)" : "") : "first load not complete after " + timeout.toSeconds() + " s";
                log("container child log tail:\n" + tail(logFile));
                return new Container(false, reason, Double.NaN, Double.NaN, xmx);
            } finally {
                kill(p);
                BenchKit.deleteQuietly(stateDir);
                Files.deleteIfExists(logFile);
            }
        }
    }

    private static boolean cycleDone(String metrics, String type) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith("vse_last_successful_cycle_timestamp_seconds{") && line.contains("session_type=\"" + type + "\"")) {
                String v = line.substring(line.lastIndexOf(' ') + 1).trim();
                try {
                    return Double.parseDouble(v) > 0;
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        return false;
    }

    /** Sum of the {@code used NK} of the heap's spaces in {@code jcmd GC.heap_info} (G1, Serial, Parallel alike). */
    static double heapUsedKb(String info) {
        double sum = 0;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(info);
        while (m.find()) {
            sum += Double.parseDouble(m.group(2));
        }
        return sum == 0 ? Double.NaN : sum;
    }

    private static String jcmd(long pid, String command) throws Exception {
        Process j = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
        byte[] out = j.getInputStream().readAllBytes();
        j.waitFor(30, TimeUnit.SECONDS);
        return new String(out, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String get(HttpClient http, URI uri) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static void kill(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }

}

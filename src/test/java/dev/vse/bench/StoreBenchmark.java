package dev.vse.bench;

import dev.vse.detect.FileStateStore;
import dev.vse.detect.InMemoryStateStore;
import dev.vse.detect.SessionSnapshot;
import dev.vse.detect.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The state store alone: heap per tracked session (100,000 and 1,000,000 sessions of realistic data: 300 jobs,
 * 10% replica, 85/10/5 % Success/Warning/Failed, 1% running, hrefs as EM writes them) and the restart time of the
 * file store at 1,000,000 sessions (from its journal, and from a compacted snapshot). A {@code main}, not a test:
 * <pre>
 * mvn -q -o -Pbench-store test-compile exec:exec [-Dbench.args="100000 restart=0"]
 * </pre>
 * Arguments (optional): the session counts to measure the heap at, and {@code restart=N} (0: no restart
 * measurement), e.g. {@code 100000 restart=0}. {@link #run} is what {@link PipelineBenchmark} may call; it returns
 * the lines it printed.
 */
public final class StoreBenchmark {
    static final String EM = "em01";
    private static final String BASE = "https://em01.tech.local:9398/api/";
    private static final int PAGE = 1_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private StoreBenchmark() { }

    public static void main(String[] args) throws IOException {
        List<Integer> sizes = new ArrayList<>();
        int restart = 1_000_000;
        for (String a : args) {
            if (a.startsWith("restart=")) {
                restart = number(a.substring("restart=".length()));
            } else {
                sizes.add(number(a));
            }
        }
        run(args.length == 0 ? List.of(100_000, 1_000_000) : sizes, restart);
    }

    private static int number(String s) {
        return Integer.parseInt(s.replace("_", "").replace(",", ""));
    }

    /** Heap per session for each of {@code heapSizes}, restart of the file store at {@code restartSessions}. */
    public static List<String> run(List<Integer> heapSizes, int restartSessions) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int n : heapSizes) {
            lines.add(print(String.format(Locale.ROOT, "store: %,d sessions, heap %d bytes/session (in-memory store)",
                    n, heapPerSession(n))));
        }
        if (restartSessions > 0) {
            lines.addAll(restart(restartSessions));
        }
        return lines;
    }

    private static String print(String line) {
        System.out.println(line);
        return line;
    }

    /** Used heap (lowest of several GCs) of a store holding {@code n} sessions, minus that without it, per session. */
    public static long heapPerSession(int n) {
        long before = usedHeap();
        StateStore store = new InMemoryStateStore();
        fill(store, n);
        long after = usedHeap();
        long perSession = (after - before) / n;
        if (store.size(EM) != n) {
            throw new IllegalStateException("store holds " + store.size(EM));
        }
        store.close();
        return perSession;
    }

    private static List<String> restart(int n) throws IOException {
        List<String> lines = new ArrayList<>();
        Path dir = Files.createTempDirectory("vse-store-bench");
        try {
            long t0 = System.nanoTime();
            try (FileStateStore store = new FileStateStore(dir)) {
                fill(store, n);
            }
            long writeMs = ms(t0);
            Path emDir = new FileStateStore(dir).directoryOf(EM);
            long journal = sizeOf(emDir, "journal-");
            long[] r = timeOpen(dir, n);
            lines.add(print(String.format(Locale.ROOT, "store: %,d sessions, restart %,d ms from journal (CPU %,d ms"
                    + " loading thread, %,d ms process; %,d bytes, %d bytes/session; %,d ms to commit them in pages of"
                    + " %,d), heap %d bytes/session (file store)",
                    n, r[0], r[2], r[3], journal, journal / n, writeMs, PAGE, r[1])));
            try (FileStateStore store = new FileStateStore(dir)) {
                store.compact(EM);
            }
            long snapshot = sizeOf(emDir, "snapshot.jsonl");
            r = timeOpen(dir, n);
            lines.add(print(String.format(Locale.ROOT, "store: %,d sessions, restart %,d ms from snapshot (CPU %,d ms"
                    + " loading thread, %,d ms process; %,d bytes, %d bytes/session)", n, r[0], r[2], r[3], snapshot,
                    snapshot / n)));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return lines;
    }

    /** [ms to open and load, heap bytes per session once loaded, CPU ms of the loading thread, of the process]. */
    private static long[] timeOpen(Path dir, int n) {
        long before = usedHeap();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long process0 = OS.getProcessCpuTime();
        long t0 = System.nanoTime();
        FileStateStore store = new FileStateStore(dir);
        int size = store.size(EM);
        long elapsed = ms(t0);
        long cpu = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
        long process = (OS.getProcessCpuTime() - process0) / 1_000_000;
        if (size != n) {
            throw new IllegalStateException("restarted store holds " + size + " sessions, not " + n);
        }
        long heap = (usedHeap() - before) / n;
        store.close();
        return new long[] {elapsed, heap, cpu, process};
    }

    private static long sizeOf(Path emDir, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(emDir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Commits {@code n} realistic sessions in pages of 1,000. */
    public static void fill(StateStore store, int n) {
        Random random = new Random(42);
        Instant t0 = Instant.parse("2025-08-15T20:00:00Z");
        List<SessionSnapshot> page = new ArrayList<>(PAGE);
        for (int i = 0; i < n; i++) {
            page.add(session(random, i, t0));
            if (page.size() == PAGE) {
                store.commit(EM, page);
                page = new ArrayList<>(PAGE);
            }
        }
        if (!page.isEmpty()) {
            store.commit(EM, page);
        }
    }

    /** 300 jobs (30 of them replica jobs), 1% running, 85/10/5 % Success/Warning/Failed, microsecond times. */
    static SessionSnapshot session(Random random, int i, Instant t0) {
        int job = random.nextInt(300);
        boolean replica = job < 30;
        String type = replica ? "ReplicaJobSession" : "BackupJobSession";
        UUID guid = new UUID(random.nextLong(), random.nextLong());
        boolean running = random.nextInt(100) == 0;
        int r = random.nextInt(100);
        String result = running ? "None" : r < 85 ? "Success" : r < 95 ? "Warning" : "Failed";
        Instant created = t0.minusSeconds(i * 30L).plusNanos(random.nextInt(1_000_000) * 1_000L);
        Instant ended = running ? null : created.plusSeconds(60 + random.nextInt(3_600)).plusNanos(random.nextInt(1_000_000) * 1_000L);
        return new SessionSnapshot(EM, "urn:veeam:" + type + ":" + guid, type,
                BASE + (replica ? "replicaSessions/" : "backupSessions/") + guid + "?format=Entity",
                "urn:veeam:Job:" + new UUID(0x4856ab37223545e8L, job), (replica ? "Replica " : "Backup ") + job,
                replica ? "Replica" : "Backup", "vbr0" + (job % 4) + ".tech.local",
                created, ended, running ? "Working" : "Stopped", result, running ? random.nextInt(100) : 100,
                random.nextInt(20) == 0, !running, ended != null ? ended : created);
    }

    static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < 6; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lowest = Math.min(lowest, rt.totalMemory() - rt.freeMemory());
        }
        return lowest;
    }
}

package dev.vse.detect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Rough measurement, run by hand (not a test): heap per tracked session and commit cost with
 * 100,000 sessions of 300 jobs, 1% changing per cycle.
 * {@code java -cp target/classes:target/test-classes:<deps> dev.vse.detect.StateStoreFootprint [dir]}
 * ({@link dev.vse.bench.StoreBenchmark} measures heap per session at 1,000,000 sessions and the restart time.)
 */
public final class StateStoreFootprint {
    private static final int SESSIONS = 100_000;
    private static final String EM = "em01";

    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("vse-footprint");
        Instant t0 = Instant.parse("2025-08-15T20:00:00Z");
        List<SessionSnapshot> all = new ArrayList<>(SESSIONS);
        for (int i = 0; i < SESSIONS; i++) {
            all.add(session(i, t0));
        }
        try (FileStateStore store = new FileStateStore(dir)) {
            store.commit(EM, all);
            store.compact(EM);
        }
        all = null;
        long before = usedHeap();
        long loadStart = System.nanoTime();
        FileStateStore store = new FileStateStore(dir);
        store.size(EM);
        long loadMs = (System.nanoTime() - loadStart) / 1_000_000;
        long after = usedHeap();
        System.out.printf("loaded %d sessions in %d ms; heap %d bytes/session; snapshot file %d bytes/session%n",
                store.size(EM), loadMs, (after - before) / SESSIONS,
                Files.size(store.directoryOf(EM).resolve(EmStateFiles.SNAPSHOT)) / SESSIONS);
        List<SessionSnapshot> onePercent = new ArrayList<>();
        for (int i = 0; i < SESSIONS / 100; i++) {
            onePercent.add(session(i * 100, t0.plusSeconds(60)));
        }
        for (int round = 0; round < 5; round++) {
            long start = System.nanoTime();
            store.commit(EM, onePercent);
            System.out.printf("commit of %d snapshots: %d ms%n", onePercent.size(), (System.nanoTime() - start) / 1_000_000);
        }
        store.close();
    }

    private static SessionSnapshot session(int i, Instant t0) {
        String guid = new UUID(0x5b0c7e528a0e4c43L, i).toString();
        int job = i % 300;
        boolean running = i % 50 == 0;
        return new SessionSnapshot(EM, "urn:veeam:BackupJobSession:" + guid, "BackupJobSession",
                "https://em01:9398/api/backupSessions/" + guid + "?format=Entity",
                "urn:veeam:Job:" + new UUID(7, job), "Job " + job, "Backup", "srv0" + (job % 4) + ".tech.local",
                t0.minusSeconds(i * 30L), running ? null : t0.minusSeconds(i * 30L - 600),
                running ? "Working" : "Stopped", running ? "None" : "Success", running ? 40 : 100, false, !running, t0);
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}

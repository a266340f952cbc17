package dev.vse.detect;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;

/**
 * The embedded, crash-safe {@link StateStore}: one directory per EM under {@code STATE_DIR}, each an
 * fsynced append-only journal plus a periodically compacted snapshot ({@link EmStateFiles};
 * docs/change-detection.md describes the format). All tracked sessions are also held in memory, so
 * reads never touch the disk and {@code commit} costs one append + one fsync for the changed
 * snapshots only. An EM's files are opened on first use; I/O failures surface as
 * {@link UncheckedIOException}.
 */
public final class FileStateStore extends SessionTableStore {
    /** Compaction waits for at least this many journal records (and for twice the live sessions). */
    public static final int DEFAULT_COMPACTION_MIN_RECORDS = 10_000;

    private final Path root;
    private final int compactionMinRecords;
    private final Map<String, EmStateFiles> ems = new ConcurrentHashMap<>();

    public FileStateStore(Path root) {
        this(root, DEFAULT_COMPACTION_MIN_RECORDS);
    }

    public FileStateStore(Path root, int compactionMinRecords) {
        this.root = root;
        this.compactionMinRecords = compactionMinRecords;
    }

    @Override
    public void commit(String emId, Collection<SessionSnapshot> snapshots, Collection<IncidentEntry> incidents) {
        io(emId, () -> em(emId).commit(snapshots, incidents));
    }

    @Override
    public void commitWatermark(String emId, String sessionType, Instant watermark) {
        io(emId, () -> em(emId).commitWatermark(sessionType, watermark));
    }

    @Override
    public void commitBaseline(String emId, String sessionType, Instant at) {
        Objects.requireNonNull(sessionType, "sessionType");
        Objects.requireNonNull(at, "at");
        io(emId, () -> em(emId).commitBaseline(sessionType, at));
    }

    @Override
    public void prune(String emId, Instant stoppedBefore) {
        io(emId, () -> em(emId).prune(stoppedBefore));
    }

    @Override
    public void forget(String emId, Collection<String> uids) {
        io(emId, () -> em(emId).forget(uids));
    }

    /** Forces a compaction of one EM's files now (e.g. at a clean shutdown or from an admin task). */
    public void compact(String emId) {
        io(emId, () -> em(emId).compact());
    }

    /** The directory that holds an EM's files: its id made file-name safe, plus a hash when altered. */
    public Path directoryOf(String emId) {
        String safe = emId.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.equals(emId) && !safe.startsWith(".")) {
            return root.resolve(safe);
        }
        CRC32 crc = new CRC32();
        crc.update(emId.getBytes(StandardCharsets.UTF_8));
        return root.resolve(safe + "-" + HexFormat.of().toHexDigits((int) crc.getValue()));
    }

    /**
     * Reads the files of {@code emId} without the lock and without changing them, so also while another process
     * (the pipeline) owns them; see {@link StoredState}.
     *
     * @throws java.nio.file.NoSuchFileException when there is no state of that EM under the root
     */
    public StoredState inspect(String emId) throws IOException {
        return StoredState.of(emId, EmStateFiles.openReadOnly(emId, directoryOf(emId)));
    }

    /** {@link #inspect}, of a folder as listed by {@link #emDirectories()}; the EM id comes from its snapshot. */
    public static StoredState inspectDirectory(Path emDir) throws IOException {
        JsonNode header = EmStateFiles.snapshotHeader(emDir);
        String emId = header != null && header.hasNonNull("emId") ? header.get("emId").asText()
                : emDir.getFileName().toString();
        return StoredState.of(emId, EmStateFiles.openReadOnly(emId, emDir));
    }

    /** The folders under the root that hold the state of an EM (a snapshot or a journal), sorted by name. */
    public List<Path> emDirectories() throws IOException {
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path d : entries) {
                if (Files.isDirectory(d) && holdsState(d)) {
                    dirs.add(d);
                }
            }
        }
        dirs.sort(Comparator.comparing(d -> d.getFileName().toString()));
        return dirs;
    }

    private static boolean holdsState(Path dir) throws IOException {
        if (Files.exists(dir.resolve(EmStateFiles.SNAPSHOT))) {
            return true;
        }
        try (DirectoryStream<Path> journals = Files.newDirectoryStream(dir, "journal-*.jsonl")) {
            return journals.iterator().hasNext();
        }
    }

    /** Closes the files of {@code emId} and drops its folder lock (another process may open it now). */
    @Override
    public void release(String emId) {
        EmStateFiles files = ems.remove(emId);
        if (files != null) {
            files.close();
        }
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (EmStateFiles files : ems.values()) {
            try {
                files.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        ems.clear();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    SessionTable table(String emId) {
        return em(emId).table();
    }

    EmStateFiles em(String emId) {
        return ems.computeIfAbsent(emId, id -> {
            try {
                return EmStateFiles.open(id, directoryOf(id), compactionMinRecords);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open state of EM " + id + ": " + e.getMessage(), e);
            }
        });
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void io(String emId, IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException("state store of EM " + emId + ": " + e.getMessage(), e);
        }
    }
}

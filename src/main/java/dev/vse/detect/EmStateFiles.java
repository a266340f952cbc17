package dev.vse.detect;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The files of one EM under the state directory (docs/change-detection.md, "State store"):
 * <pre>
 *   lock                  held while open (one process per directory)
 *   snapshot.jsonl        header line (version, generation G, watermarks and baseline instants per
 *                         session type) + one line per session
 *   journal-G.jsonl       records appended since that snapshot (sessions, watermarks, baseline
 *                         instants, prunes, forgets), fsynced before the call returns
 * </pre>
 * Record kinds are listed in {@link StoreCodec}. Open = load snapshot, replay journal-G up to the first
 * damaged record (torn by a crash), cut the damage off. Compaction writes snapshot G+1 to a temp file,
 * fsyncs, renames it atomically over the old one, then starts journal-(G+1) and deletes journal-G; a
 * crash at any step leaves either the old pair or the new pair consistent.
 * <p>
 * Files of format version 1 (a "baseline done" flag instead of instants: header
 * {@code "baseline": true}, journal record {@code b}) still load. Such a flag is translated into a
 * baseline instant for each session type that has a watermark: the earliest watermark of that type
 * found while loading (header and journal), the closest the old files get to "when polling started".
 * A session type without a watermark gets no baseline (the pipeline records one when it polls it).
 * The derived instants are appended to the journal on open, so they never move afterwards.
 * <p>
 * {@link #openReadOnly} reads the same files without the lock and without writing anything, while the owning
 * process runs: a torn or half-appended last journal record is skipped (not cut off), stale files stay, derived
 * version-1 baselines stay in memory, and a compaction that happens meanwhile makes it read again.
 */
final class EmStateFiles implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmStateFiles.class.getName());
    static final String SNAPSHOT = "snapshot.jsonl";

    /** Attempts of a read-only open that a concurrent compaction spoils before it gives up. */
    private static final int READ_ONLY_ATTEMPTS = 5;

    private final String emId;
    private final Path dir;
    private final int compactionMinRecords;
    private final boolean readOnly;
    private final SessionTable table;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private long generation;
    private FileChannel journal;
    private long journalRecords;
    private long ignoredJournalBytes;
    private IOException broken;
    private LegacyBaseline legacy = new LegacyBaseline();

    private EmStateFiles(String emId, Path dir, int compactionMinRecords) throws IOException {
        this.emId = emId;
        this.table = new SessionTable(emId);
        this.dir = Files.createDirectories(dir);
        this.compactionMinRecords = compactionMinRecords;
        this.readOnly = false;
        this.lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        this.lock = tryLock(lockChannel);
        if (lock == null) {
            lockChannel.close();
            throw new IOException("state directory " + dir + " is in use by another process");
        }
    }

    /** Read-only: no lock, no file created, written, truncated or deleted. */
    private EmStateFiles(String emId, Path dir) {
        this.emId = emId;
        this.table = new SessionTable(emId);
        this.dir = dir;
        this.compactionMinRecords = Integer.MAX_VALUE;
        this.readOnly = true;
        this.lockChannel = null;
        this.lock = null;
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;  // held by another store in this JVM
        }
    }

    static EmStateFiles open(String emId, Path dir, int compactionMinRecords) throws IOException {
        EmStateFiles files = new EmStateFiles(emId, dir, compactionMinRecords);
        try {
            files.load();
            return files;
        } catch (IOException | RuntimeException e) {
            files.close();
            throw e;
        }
    }

    /**
     * Reads the files of {@code dir} as they are, without the lock, so while the pipeline owns them; the result is
     * a consistent picture of one moment (a commit is either in it or not). Every write method throws.
     *
     * @throws NoSuchFileException when {@code dir} does not exist
     * @throws IOException when the files cannot be read or the snapshot is damaged
     */
    static EmStateFiles openReadOnly(String emId, Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no state directory");
        }
        IOException last = null;
        for (int attempt = 1; attempt <= READ_ONLY_ATTEMPTS; attempt++) {
            long before = snapshotGeneration(dir);
            EmStateFiles files = new EmStateFiles(emId, dir);
            try {
                files.load();
                // a compaction between reading the snapshot and its journal: read the new pair
                if (files.generation == before && snapshotGeneration(dir) == before) {
                    return files;
                }
            } catch (IOException e) {
                last = e;  // e.g. journal-G deleted by a compaction under our feet, or the snapshot replaced mid-read
            }
            try {
                Thread.sleep(20L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw last != null ? last : new IOException("state of " + emId + " in " + dir
                + " kept changing (compactions) while being read; try again");
    }

    /** The generation in the header of {@code dir}'s snapshot; 0 when there is none yet. */
    static long snapshotGeneration(Path dir) throws IOException {
        JsonNode header = snapshotHeader(dir);
        return header == null ? 0 : header.path("generation").asLong();
    }

    /** The header (first line) of {@code dir}'s snapshot, or null when there is no snapshot (or no intact line). */
    static JsonNode snapshotHeader(Path dir) throws IOException {
        Path snapshot = dir.resolve(SNAPSHOT);
        JsonNode[] header = {null};
        try {
            FramedLines.read(snapshot, payload -> {
                header[0] = StoreCodec.parse(payload);
                throw new StopReading();
            });
        } catch (StopReading done) {
            // only the first line was wanted
        } catch (NoSuchFileException absent) {
            return null;
        }
        return header[0];
    }

    private static final class StopReading extends IOException {
        StopReading() {
            super("first line read");
        }
    }

    boolean readOnly() {
        return readOnly;
    }

    long generation() {
        return generation;
    }

    Path directory() {
        return dir;
    }

    /** Bytes at the end of the journal that were not an intact record when read (read-only opens; 0 otherwise). */
    long ignoredJournalBytes() {
        return ignoredJournalBytes;
    }

    SessionTable table() {
        return table;
    }

    /**
     * One append (one fsync) for a page: its incident changes first, then its snapshots. Should a crash tear the
     * append, what survives is a prefix; incidents before snapshots means the page is read again with its incident
     * changes already applied, which the incident logic recognises (each session counts once).
     */
    synchronized void commit(Collection<SessionSnapshot> snapshots, Collection<IncidentEntry> incidents)
            throws IOException {
        if (snapshots.isEmpty() && incidents.isEmpty()) {
            return;
        }
        ByteArrayOutputStream batch = new ByteArrayOutputStream(snapshots.size() * 512 + incidents.size() * 1024);
        for (IncidentEntry i : incidents) {
            batch.write(FramedLines.frame(StoreCodec.incident(i)));
        }
        for (SessionSnapshot s : snapshots) {
            if (!emId.equals(s.emId())) {
                throw new IllegalArgumentException("snapshot of EM " + s.emId() + " committed to " + emId);
            }
            batch.write(FramedLines.frame(StoreCodec.snapshot(s)));
        }
        append(batch.toByteArray(), snapshots.size() + incidents.size());
        incidents.forEach(table::incident);
        table.putAll(snapshots);
        maybeCompact();
    }

    synchronized void commitWatermark(String sessionType, Instant at) throws IOException {
        append(FramedLines.frame(StoreCodec.watermark(sessionType, at)), 1);
        table.watermark(sessionType, at);
    }

    /** Appends the baseline unless this session type already has one (the first value wins). */
    synchronized void commitBaseline(String sessionType, Instant at) throws IOException {
        if (table.baseline(sessionType).isEmpty()) {
            append(FramedLines.frame(StoreCodec.baseline(sessionType, at)), 1);
            table.baseline(sessionType, at);
        }
    }

    /** Appends one forget record for the tracked ones among {@code uids}; nothing when none is tracked. */
    synchronized void forget(Collection<String> uids) throws IOException {
        List<String> tracked = table.tracked(uids);
        if (tracked.isEmpty()) {
            return;
        }
        append(FramedLines.frame(StoreCodec.forget(tracked)), 1);
        table.forget(tracked);
        maybeCompact();
    }

    synchronized void prune(Instant stoppedBefore) throws IOException {
        append(FramedLines.frame(StoreCodec.prune(stoppedBefore)), 1);
        table.prune(stoppedBefore);
        maybeCompact();
    }

    /** Writes a fresh snapshot and starts an empty journal. */
    synchronized void compact() throws IOException {
        requireWritable();
        long next = generation + 1;
        Path tmp = dir.resolve(SNAPSHOT + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream(1 << 20);
            buf.write(FramedLines.frame(StoreCodec.header(emId, next, table.watermarks(), table.baselines(),
                    table.incidents())));
            for (SessionSnapshot s : table.all()) {
                buf.write(FramedLines.frame(StoreCodec.snapshot(s)));
                if (buf.size() >= 1 << 20) {
                    writeFully(out, buf.toByteArray());
                    buf.reset();
                }
            }
            writeFully(out, buf.toByteArray());
            out.force(true);
        }
        Files.move(tmp, dir.resolve(SNAPSHOT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory();
        FileChannel old = journal;
        Path oldPath = journalPath(generation);
        generation = next;
        journal = openJournal(generation, true);
        journalRecords = 0;
        if (old != null) {
            old.close();
        }
        Files.deleteIfExists(oldPath);
    }

    long journalRecords() {
        return journalRecords;
    }

    Path journalFile() {
        return journalPath(generation);
    }

    private void requireWritable() throws IOException {
        if (readOnly) {
            throw new IOException("state of " + emId + " in " + dir + " was opened read-only");
        }
    }

    @Override
    public synchronized void close() {
        if (readOnly) {
            return;
        }
        try {
            if (journal != null) {
                journal.close();
            }
            if (lock != null && lock.isValid()) {
                lock.release();
            }
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing state of " + emId, e);
        }
    }

    private void load() throws IOException {
        Path snapshot = dir.resolve(SNAPSHOT);
        if (Files.exists(snapshot)) {
            loadSnapshot(snapshot);
        }
        Path journalFile = journalPath(generation);
        if (readOnly) {
            loadReadOnly(journalFile);
            return;
        }
        if (Files.exists(journalFile)) {
            replay(journalFile);
        }
        deleteStaleFiles();
        journal = openJournal(generation, false);
        commitLegacyBaselines();
    }

    /** The rest of a read-only load: the journal as far as it is intact, derived baselines in memory only. */
    private void loadReadOnly(Path journalFile) throws IOException {
        try {
            long size = Files.size(journalFile);
            long good = FramedLines.read(journalFile, this::apply);
            // the owner may be appending right now: a partial last record is normal here, and not ours to cut
            ignoredJournalBytes = Math.max(0, size - good);
        } catch (NoSuchFileException absent) {
            if (snapshotGeneration(dir) != generation) {
                throw absent;  // deleted by a compaction since the snapshot was read: read again
            }
            // no journal yet: nothing appended since the snapshot
        }
        legacy.derived().forEach(table::baseline);
        legacy = null;
    }

    /** Turns a version-1 "baseline done" flag into durable instants (see the class comment). */
    private void commitLegacyBaselines() throws IOException {
        for (Map.Entry<String, Instant> b : legacy.derived().entrySet()) {
            if (table.baseline(b.getKey()).isEmpty()) {
                LOG.info(() -> "state of EM " + emId + ": old-format baseline flag taken as baseline "
                        + b.getValue() + " for " + b.getKey() + " (earliest watermark)");
                commitBaseline(b.getKey(), b.getValue());
            }
        }
        legacy = null;  // only meaningful while loading
    }

    private void loadSnapshot(Path snapshot) throws IOException {
        long[] lines = {0};
        long good = FramedLines.read(snapshot, payload -> {
            if (lines[0]++ == 0) {
                header(StoreCodec.parse(payload));
            } else {
                table.put(StoreCodec.snapshot(emId, payload, null));
            }
        });
        // the snapshot is renamed into place only when complete: damage here is not a crash artefact
        if (good != Files.size(snapshot) || lines[0] == 0) {
            throw new IOException("damaged state snapshot " + snapshot + " at byte " + good
                    + "; restore it from backup or delete the directory to start with a new baseline");
        }
    }

    private void header(JsonNode n) throws IOException {
        int version = n.path("version").asInt();
        if (!"h".equals(n.path("t").asText())
                || (version != StoreCodec.VERSION && version != StoreCodec.VERSION_FLAG_BASELINE)) {
            throw new IOException("unsupported state snapshot format in " + dir);
        }
        generation = n.path("generation").asLong();
        if (n.path("baseline").asBoolean()) {
            legacy.flagSeen();
        }
        StoreCodec.instants(n, "watermarks").forEach(this::loadWatermark);
        StoreCodec.instants(n, "baselines").forEach(table::baseline);
        StoreCodec.incidents(n).forEach((job, state) -> table.incident(new IncidentEntry(job, state)));
    }

    /** A watermark read while loading: also a candidate for a version-1 baseline. */
    private void loadWatermark(String sessionType, Instant at) {
        table.watermark(sessionType, at);
        legacy.watermarkSeen(sessionType, at);
    }

    private void replay(Path journalFile) throws IOException {
        long good = FramedLines.read(journalFile, this::apply);
        long size = Files.size(journalFile);
        if (good < size) {
            // torn tail from a crash mid-append: its commit never returned, so dropping it loses nothing
            LOG.warning(() -> "state journal " + journalFile + ": ignoring " + (size - good)
                    + " bytes of an incomplete record at offset " + good);
            try (FileChannel ch = FileChannel.open(journalFile, StandardOpenOption.WRITE)) {
                ch.truncate(good);
                ch.force(true);
            }
        }
    }

    /** One journal record; session snapshots (nearly all of them) without building a JSON tree. */
    private void apply(byte[] payload) throws IOException {
        SessionSnapshot s = StoreCodec.snapshot(emId, payload, "s");
        if (s != null) {
            journalRecords++;
            table.put(s);
        } else {
            apply(StoreCodec.parse(payload));
        }
    }

    private void apply(JsonNode n) {
        journalRecords++;
        switch (n.path("t").asText()) {
            case "s" -> table.put(StoreCodec.snapshot(emId, n));
            case "w" -> loadWatermark(StoreCodec.text(n, "sessionType"), StoreCodec.instant(n, "at"));
            case "B" -> table.baseline(StoreCodec.text(n, "sessionType"), StoreCodec.instant(n, "at"));
            case "b" -> legacy.flagSeen();
            case "p" -> table.prune(StoreCodec.instant(n, "stoppedBefore"));
            case "f" -> table.forget(StoreCodec.uids(n));
            case "j" -> table.incident(StoreCodec.incident(n));
            default -> LOG.warning(() -> "state journal in " + dir + ": skipping unknown record " + n.path("t"));
        }
    }

    private void append(byte[] bytes, int records) throws IOException {
        requireWritable();
        if (broken != null) {
            throw new IOException("state journal of " + emId + " is unusable after an earlier error", broken);
        }
        long start = journal.position();
        try {
            writeFully(journal, bytes);
            journal.force(false);
        } catch (IOException e) {
            undo(start, e);
            throw e;
        }
        journalRecords += records;
    }

    /** A half-written batch (disk full...) must not stay in front of later records. */
    private void undo(long start, IOException cause) {
        try {
            journal.truncate(start);
            journal.position(start);
            journal.force(false);
        } catch (IOException e) {
            cause.addSuppressed(e);
            broken = cause;
        }
    }

    private void maybeCompact() throws IOException {
        if (journalRecords > Math.max(compactionMinRecords, 2L * table.size())) {
            compact();
        }
    }

    private FileChannel openJournal(long gen, boolean truncate) throws IOException {
        FileChannel ch = truncate
                ? FileChannel.open(journalPath(gen), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)
                : FileChannel.open(journalPath(gen), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        ch.position(ch.size());
        syncDirectory();
        return ch;
    }

    private void deleteStaleFiles() throws IOException {
        String current = journalPath(generation).getFileName().toString();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "journal-*.jsonl")) {
            for (Path f : files) {
                if (!f.getFileName().toString().equals(current)) {
                    Files.delete(f);
                }
            }
        }
        Files.deleteIfExists(dir.resolve(SNAPSHOT + ".tmp"));
    }

    private Path journalPath(long gen) {
        return dir.resolve("journal-" + gen + ".jsonl");
    }

    /** Makes a rename or file creation durable (POSIX needs an fsync of the directory). */
    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // not supported on every platform (e.g. Windows); the rename itself is still atomic
        }
    }

    private static void writeFully(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** While loading: whether a version-1 "baseline done" flag was seen, and the earliest watermarks. */
    private static final class LegacyBaseline {
        private boolean flag;
        private final Map<String, Instant> earliestWatermarks = new HashMap<>();

        void flagSeen() {
            flag = true;
        }

        void watermarkSeen(String sessionType, Instant at) {
            earliestWatermarks.merge(sessionType, at, (a, b) -> a.isBefore(b) ? a : b);
        }

        /** Baselines implied by the flag: the earliest watermark per session type; none without the flag. */
        Map<String, Instant> derived() {
            return flag ? Map.copyOf(earliestWatermarks) : Map.of();
        }
    }
}

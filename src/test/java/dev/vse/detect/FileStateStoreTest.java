package dev.vse.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStateStoreTest extends StateStoreContract {
    @TempDir
    Path dir;

    @Override
    StateStore newStore() {
        return new FileStateStore(dir, 10);
    }

    private FileStateStore reopen() {
        store.close();
        FileStateStore reopened = new FileStateStore(dir, 10);
        store = reopened;
        return reopened;
    }

    private Path journal() {
        return ((FileStateStore) store).em(EM).journalFile();
    }

    @Test
    void givenCommittedState_whenReopened_thenEverythingIsBack() {
        SessionSnapshot sparse = new SessionSnapshot(EM, uid("sparse"), "BackupJobSession", null, null, null, null,
                null, T0, null, "Idle", null, null, null, false, T0);
        store.commit(EM, List.of(snapshot("a", "Stopped", "Warning", T0), sparse));
        store.commitWatermark(EM, "BackupJobSession", T0);
        store.commitBaseline(EM, "BackupJobSession", T0.minusSeconds(60));

        reopen();

        assertThat(store.get(EM, uid("a"))).contains(snapshot("a", "Stopped", "Warning", T0));
        assertThat(store.get(EM, uid("sparse"))).contains(sparse);
        assertThat(store.watermark(EM, "BackupJobSession")).contains(T0);
        assertThat(store.baseline(EM, "BackupJobSession")).contains(T0.minusSeconds(60));
    }

    @Test
    void release_dropsTheEmsFolderLock_anotherStoreTakesItOver_andTheFirstOpensItAgainAfterwards() {
        // clustered: the instance that loses an EM releases it; the next leader opens the same folder
        store.commit(EM, List.of(snapshot("a", "Working", "None", null)));
        store.commitWatermark(EM, "BackupJobSession", T0);
        FileStateStore other = new FileStateStore(dir, 10);
        try {
            assertThatThrownBy(() -> other.size(EM)).as("held by the first store").isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("in use");
            store.release(EM);
            assertThat(other.watermark(EM, "BackupJobSession")).contains(T0);
            assertThat(other.get(EM, uid("a"))).contains(snapshot("a", "Working", "None", null));
            other.commit(EM, List.of(snapshot("a", "Stopped", "Success", T0)));
            assertThatThrownBy(() -> store.size(EM)).as("now held by the other").isInstanceOf(UncheckedIOException.class);
            other.release(EM);
            assertThat(store.get(EM, uid("a"))).as("read afresh from the files").contains(snapshot("a", "Stopped", "Success", T0));
            store.release("never-opened");
        } finally {
            other.close();
        }
    }

    @Test
    void givenTornLastJournalRecord_whenReopened_thenItIsIgnoredAndEarlierRecordsSurvive() throws IOException {
        // a crash in the middle of an append: that commit never returned, so nothing was promised
        store.commit(EM, List.of(snapshot("a", "Working", "None", null)));
        long intact = Files.size(journal());
        store.commit(EM, List.of(snapshot("b", "Stopped", "Failed", T0)));
        Path journal = journal();
        store.close();
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
            ch.truncate(intact + (Files.size(journal) - intact) / 2);
        }

        store = new FileStateStore(dir, 10);
        store.commit(EM, List.of(snapshot("c", "Working", "None", null)));
        reopen();

        assertThat(store.get(EM, uid("a"))).isPresent();
        assertThat(store.get(EM, uid("b"))).isEmpty();
        assertThat(store.get(EM, uid("c"))).as("appended after the cut, not behind garbage").isPresent();
    }

    @Test
    void givenCorruptedLastRecord_whenReopened_thenChecksumRejectsIt() throws IOException {
        store.commit(EM, List.of(snapshot("a", "Working", "None", null)));
        store.commit(EM, List.of(snapshot("b", "Stopped", "Failed", T0)));
        Path journal = journal();
        store.close();
        byte[] bytes = Files.readAllBytes(journal);
        int inLastRecord = bytes.length - 20;
        bytes[inLastRecord] = (byte) (bytes[inLastRecord] == 'x' ? 'y' : 'x');
        Files.write(journal, bytes);

        store = new FileStateStore(dir, 10);

        assertThat(store.get(EM, uid("a"))).isPresent();
        assertThat(store.get(EM, uid("b"))).isEmpty();
    }

    @Test
    void givenJournalOverTwiceTheLiveEntries_whenCommitting_thenCompactedWithoutLosingData() throws IOException {
        List<SessionSnapshot> expected = new ArrayList<>();
        for (int cycle = 0; cycle < 8; cycle++) {
            List<SessionSnapshot> batch = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                batch.add(new SessionSnapshot(EM, uid("s" + i), "BackupJobSession", null, null, null, null, null,
                        T0, null, "Working", "None", cycle * 10, false, false, T0));
            }
            store.commit(EM, batch);
            expected = batch;
        }
        store.commitWatermark(EM, "BackupJobSession", T0);
        store.commitBaseline(EM, "BackupJobSession", T0.minusSeconds(60));

        assertThat(Files.exists(dir.resolve(EM).resolve(EmStateFiles.SNAPSHOT))).isTrue();
        assertThat(((FileStateStore) store).em(EM).journalRecords()).isLessThanOrEqualTo(12);
        assertThat(journalFiles()).hasSize(1);
        reopen();
        ((FileStateStore) store).compact(EM);
        reopen();

        for (SessionSnapshot s : expected) {
            assertThat(store.get(EM, s.uid())).contains(s);
        }
        assertThat(store.size(EM)).isEqualTo(5);
        assertThat(store.watermark(EM, "BackupJobSession")).contains(T0);
        assertThat(store.baseline(EM, "BackupJobSession")).contains(T0.minusSeconds(60));
    }

    @Test
    void givenCrashAfterCompactionRename_whenReopened_thenStaleJournalIsDiscarded() throws IOException {
        store.commit(EM, List.of(snapshot("a", "Working", "None", null)));
        ((FileStateStore) store).compact(EM);
        store.close();
        // the old generation's journal was not deleted yet: its records are already in the snapshot
        Files.writeString(dir.resolve(EM).resolve("journal-0.jsonl"), "garbage that must not be replayed\n");
        Files.writeString(dir.resolve(EM).resolve("snapshot.jsonl.tmp"), "half-written snapshot");

        store = new FileStateStore(dir, 10);

        assertThat(store.get(EM, uid("a"))).contains(snapshot("a", "Working", "None", null));
        assertThat(journalFiles()).containsExactly("journal-1.jsonl");
        assertThat(Files.exists(dir.resolve(EM).resolve("snapshot.jsonl.tmp"))).isFalse();
    }

    @Test
    void givenPrune_whenReopenedBeforeAndAfterCompaction_thenPrunedStaysForgotten() {
        store.commit(EM, List.of(snapshot("old", "Stopped", "Success", T0.minusSeconds(86_400 * 40)),
                snapshot("recent", "Stopped", "Failed", T0)));
        store.prune(EM, T0.minusSeconds(86_400 * 30));

        reopen();
        assertThat(store.get(EM, uid("old"))).isEmpty();
        ((FileStateStore) store).compact(EM);
        reopen();

        assertThat(store.get(EM, uid("old"))).isEmpty();
        assertThat(store.get(EM, uid("recent"))).isPresent();
    }

    @Test
    void givenLargeStore_whenOneSnapshotCommitted_thenJournalGrowsByOneRecordOnly() throws IOException {
        // commit cost must follow the batch, not the store: 100k sessions, 1% changing per cycle
        List<SessionSnapshot> many = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            many.add(snapshot("s" + i, "Stopped", "Success", T0));
        }
        store.close();
        store = new FileStateStore(dir, 1_000_000);
        store.commit(EM, many);
        long before = Files.size(journal());

        store.commit(EM, List.of(snapshot("s42", "Stopped", "Failed", T0)));

        assertThat(Files.size(journal()) - before).isBetween(100L, 1_000L);
    }

    @Test
    void givenStoreOpen_whenSecondStoreOpensSameDirectory_thenRefused() {
        store.commit(EM, List.of(snapshot("a", "Working", "None", null)));

        try (FileStateStore second = new FileStateStore(dir, 10)) {
            assertThatThrownBy(() -> second.get(EM, uid("a")))
                    .isInstanceOf(UncheckedIOException.class).hasMessageContaining("in use");
        }
    }

    @Test
    void givenEmIdWithUnsafeCharacters_whenStored_thenOwnSafeDirectory() {
        String emId = "https://em01:9398/api";
        store.commit(emId, List.of(new SessionSnapshot(emId, uid("a"), "BackupJobSession", null, null, null, null,
                null, T0, null, "Working", null, null, null, false, T0)));

        Path emDir = ((FileStateStore) store).directoryOf(emId);

        assertThat(emDir.getParent()).isEqualTo(dir);
        assertThat(emDir.getFileName().toString()).matches("[A-Za-z0-9._-]+");
        assertThat(Files.isDirectory(emDir)).isTrue();
    }

    @Test
    void givenRecordLongerThanTheReadBuffer_whenReopened_thenReadIntact() {
        SessionSnapshot huge = new SessionSnapshot(EM, uid("huge"), "BackupJobSession", null, null,
                "J".repeat(200_000), null, null, T0, null, "Working", "None", 1, true, false, T0);
        store.commit(EM, List.of(snapshot("a", "Working", "None", null), huge, snapshot("b", "Working", "None", null)));

        reopen();

        assertThat(store.get(EM, uid("huge"))).contains(huge);
        assertThat(store.size(EM)).isEqualTo(3);
    }

    @Test
    void givenIncidents_whenReopenedBeforeAndAfterCompaction_thenOpenOnesStay() {
        store.commit(EM, List.of(snapshot("a", "Stopped", "Failed", T0)),
                List.of(new IncidentEntry("urn:veeam:Job:1", "{\"phase\":\"PENDING\"}"),
                        new IncidentEntry("urn:veeam:Job:2", "{\"phase\":\"OPEN\"}")));
        store.commit(EM, List.of(), List.of(new IncidentEntry("urn:veeam:Job:2", null)));
        reopen();
        assertThat(store.incidents(EM)).containsOnlyKeys("urn:veeam:Job:1");
        ((FileStateStore) store).compact(EM);
        reopen();
        assertThat(store.incidents(EM)).containsExactly(java.util.Map.entry("urn:veeam:Job:1", "{\"phase\":\"PENDING\"}"));
        assertThat(store.get(EM, uid("a"))).isPresent();
    }

    @Test
    void givenBaselines_whenReopenedBeforeAndAfterCompaction_thenFirstValuesStay() {
        store.commitBaseline(EM, BACKUP, T0);
        store.commitBaseline(EM, REPLICA, T0.plusSeconds(60));

        reopen();
        store.commitBaseline(EM, BACKUP, T0.plusSeconds(3_600));
        assertThat(store.baseline(EM, BACKUP)).contains(T0);
        ((FileStateStore) store).compact(EM);
        reopen();
        store.commitBaseline(EM, REPLICA, T0.plusSeconds(3_600));
        reopen();

        assertThat(store.baseline(EM, BACKUP)).contains(T0);
        assertThat(store.baseline(EM, REPLICA)).contains(T0.plusSeconds(60));
    }

    @Test
    void givenBaselineAlreadyRecorded_whenCommittedAgain_thenJournalUntouched() throws IOException {
        store.commitBaseline(EM, BACKUP, T0);
        long size = Files.size(journal());

        store.commitBaseline(EM, BACKUP, T0.plusSeconds(60));

        assertThat(Files.size(journal())).isEqualTo(size);
    }

    @Test
    void givenForgottenSessions_whenReopenedBeforeAndAfterCompaction_thenStayForgotten() {
        store.commit(EM, List.of(snapshot("gone", "Working", "None", null), snapshot("kept", "Working", "None", null),
                snapshot("done", "Stopped", "Success", T0)));
        store.forget(EM, List.of(uid("gone"), uid("done"), uid("never-seen")));

        reopen();
        assertThat(store.get(EM, uid("gone"))).isEmpty();
        assertThat(store.get(EM, uid("done"))).isEmpty();
        ((FileStateStore) store).compact(EM);
        reopen();

        assertThat(store.get(EM, uid("gone"))).isEmpty();
        assertThat(store.get(EM, uid("done"))).isEmpty();
        assertThat(store.unfinished(EM, BACKUP)).extracting(SessionSnapshot::uid).containsExactly(uid("kept"));
        assertThat(store.size(EM)).isEqualTo(1);
    }

    @Test
    void givenForgetThenRecommit_whenReopened_thenJournalOrderIsReplayed() {
        store.commit(EM, List.of(snapshot("a", "Working", "None", null)));
        store.forget(EM, List.of(uid("a")));
        store.commit(EM, List.of(snapshot("a", "Stopped", "Failed", T0)));

        reopen();

        assertThat(store.get(EM, uid("a"))).contains(snapshot("a", "Stopped", "Failed", T0));
    }

    @Test
    void givenOnlyUnknownUids_whenForgotten_thenNothingAppended() throws IOException {
        store.commit(EM, List.of(snapshot("a", "Working", "None", null)));
        long size = Files.size(journal());

        store.forget(EM, List.of(uid("never-seen")));

        assertThat(Files.size(journal())).isEqualTo(size);
    }

    // --- files written by format version 1 (boolean "baseline done", no instants, no forget) ---

    @Test
    void givenVersion1SnapshotWithBaselineFlag_whenOpened_thenEarliestWatermarkPerTypeIsTheBaseline()
            throws IOException {
        Instant backupMark = T0.minusSeconds(7_200);
        Instant replicaMark = T0.minusSeconds(3_600);
        store.close();
        writeVersion1(List.of(
                v1Header(1, true, "{\"BackupJobSession\":\"" + backupMark + "\",\"ReplicaJobSession\":\""
                        + replicaMark + "\"}"),
                new String(StoreCodec.snapshot(snapshot("a", "Stopped", "Success", T0)), StandardCharsets.UTF_8)),
                List.of(v1Watermark(BACKUP, backupMark.plusSeconds(900)),
                        new String(StoreCodec.snapshot(snapshot("b", "Working", "None", null)), StandardCharsets.UTF_8)));

        store = new FileStateStore(dir, 10);

        assertThat(store.get(EM, uid("a"))).contains(snapshot("a", "Stopped", "Success", T0));
        assertThat(store.get(EM, uid("b"))).contains(snapshot("b", "Working", "None", null));
        assertThat(store.watermark(EM, BACKUP)).as("latest watermark").contains(backupMark.plusSeconds(900));
        assertThat(store.baseline(EM, BACKUP)).as("earliest watermark").contains(backupMark);
        assertThat(store.baseline(EM, REPLICA)).contains(replicaMark);
        assertThat(store.baseline(EM, "AgentJobSession")).as("no watermark, no baseline").isEmpty();
    }

    @Test
    void givenVersion1JournalWithBaselineRecord_whenOpened_thenEarliestJournalWatermarkIsTheBaseline()
            throws IOException {
        store.close();
        writeVersion1(List.of(), List.of(
                new String(StoreCodec.snapshot(snapshot("a", "Working", "None", null)), StandardCharsets.UTF_8),
                v1Watermark(BACKUP, T0),
                "{\"t\":\"b\"}",
                v1Watermark(BACKUP, T0.plusSeconds(300))));

        store = new FileStateStore(dir, 10);

        assertThat(store.baseline(EM, BACKUP)).contains(T0);
        assertThat(store.watermark(EM, BACKUP)).contains(T0.plusSeconds(300));
        assertThat(store.get(EM, uid("a"))).isPresent();
    }

    @Test
    void givenVersion1BaselineFlagWithoutWatermarks_whenOpened_thenNoBaseline() throws IOException {
        store.close();
        writeVersion1(List.of(v1Header(1, true, "{}")), List.of("{\"t\":\"b\"}"));

        store = new FileStateStore(dir, 10);

        assertThat(store.baseline(EM, BACKUP)).isEmpty();
        store.commitBaseline(EM, BACKUP, T0);
        assertThat(store.baseline(EM, BACKUP)).contains(T0);
    }

    @Test
    void givenVersion1WatermarksWithoutBaselineFlag_whenOpened_thenNoBaseline() throws IOException {
        store.close();
        writeVersion1(List.of(v1Header(1, false, "{\"BackupJobSession\":\"" + T0 + "\"}")), List.of());

        store = new FileStateStore(dir, 10);

        assertThat(store.watermark(EM, BACKUP)).contains(T0);
        assertThat(store.baseline(EM, BACKUP)).isEmpty();
    }

    @Test
    void givenVersion1BaselineFlag_whenWatermarkMovesOnAndStoreIsCompactedAndReopened_thenDerivedBaselineStays()
            throws IOException {
        store.close();
        writeVersion1(List.of(v1Header(1, true, "{\"BackupJobSession\":\"" + T0 + "\"}")), List.of());
        store = new FileStateStore(dir, 10);

        store.commitWatermark(EM, BACKUP, T0.minusSeconds(600));  // even a watermark moved back must not move B
        reopen();
        ((FileStateStore) store).compact(EM);
        reopen();

        assertThat(store.baseline(EM, BACKUP)).contains(T0);
        assertThat(Files.readString(dir.resolve(EM).resolve(EmStateFiles.SNAPSHOT)))
                .contains("\"version\":" + StoreCodec.VERSION).contains("\"baselines\":{\"BackupJobSession\"")
                .doesNotContain("\"baseline\":");
    }

    /** The bytes StoreCodec version 1 wrote: a snapshot (generation 1) and its journal. */
    private void writeVersion1(List<String> snapshotLines, List<String> journalLines) throws IOException {
        Path emDir = Files.createDirectories(dir.resolve(EM));
        if (!snapshotLines.isEmpty()) {
            Files.write(emDir.resolve(EmStateFiles.SNAPSHOT), framed(snapshotLines));
        }
        String journal = snapshotLines.isEmpty() ? "journal-0.jsonl" : "journal-1.jsonl";
        Files.write(emDir.resolve(journal), framed(journalLines));
    }

    private static String v1Header(long generation, boolean baseline, String watermarksJson) {
        return "{\"t\":\"h\",\"version\":1,\"emId\":\"" + EM + "\",\"generation\":" + generation
                + ",\"baseline\":" + baseline + ",\"watermarks\":" + watermarksJson + "}";
    }

    private static String v1Watermark(String sessionType, Instant at) {
        return "{\"t\":\"w\",\"sessionType\":\"" + sessionType + "\",\"at\":\"" + at + "\"}";
    }

    private static byte[] framed(List<String> payloads) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        payloads.forEach(p -> out.writeBytes(FramedLines.frame(p.getBytes(StandardCharsets.UTF_8))));
        return out.toByteArray();
    }

    private List<String> journalFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve(EM))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("journal-")).toList();
        }
    }
}

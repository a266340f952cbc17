package dev.vse.detect;

import static dev.vse.detect.StateStoreContract.BACKUP;
import static dev.vse.detect.StateStoreContract.EM;
import static dev.vse.detect.StateStoreContract.REPLICA;
import static dev.vse.detect.StateStoreContract.T0;
import static dev.vse.detect.StateStoreContract.snapshot;
import static dev.vse.detect.StateStoreContract.uid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading an EM's files read-only, beside the store that owns them (the {@code state} command). */
class StoreInspectionTest {
    @TempDir
    Path dir;
    FileStateStore owner;

    @BeforeEach
    void open() {
        owner = new FileStateStore(dir, 10);
    }

    @AfterEach
    void close() {
        owner.close();
    }

    @Test
    void givenStoreOpenInThisJvm_whenInspected_thenEverythingCommittedIsSeen_andNoFileChanges() throws IOException {
        owner.commit(EM, List.of(snapshot("a", "Working", "None", null), snapshot("b", "Stopped", "Success", T0)));
        owner.commitWatermark(EM, BACKUP, T0);
        owner.commitBaseline(EM, BACKUP, T0.minusSeconds(3600));
        owner.commitBaseline(EM, REPLICA, T0.minusSeconds(60));
        Map<String, String> before = contents();

        StoredState s = new FileStateStore(dir).inspect(EM);

        assertThat(s.emId()).isEqualTo(EM);
        assertThat(s.watermarks()).containsExactly(Map.entry(BACKUP, T0));
        assertThat(s.baselines()).containsOnly(Map.entry(BACKUP, T0.minusSeconds(3600)), Map.entry(REPLICA, T0.minusSeconds(60)));
        assertThat(s.sessions()).extracting(SessionSnapshot::uid).containsExactlyInAnyOrder(uid("a"), uid("b"));
        assertThat(s.incompleteJournalBytes()).isZero();
        assertThat(contents()).as("read-only: same files, same bytes").isEqualTo(before);
        // the owner still holds its lock and goes on writing
        owner.commit(EM, List.of(snapshot("c", "Working", "None", null)));
        assertThat(new FileStateStore(dir).inspect(EM).sessions()).hasSize(3);
    }

    @Test
    void givenHalfAppendedLastRecord_whenInspected_thenItIsSkippedNotCut() throws IOException {
        owner.commit(EM, List.of(snapshot("a", "Working", "None", null)));
        Path journal = owner.em(EM).journalFile();
        byte[] half = "0badc0de {\"t\":\"s\",\"uid\":\"urn:veeam:BackupJobSession:b\"".getBytes(StandardCharsets.UTF_8);
        Files.write(journal, half, StandardOpenOption.APPEND);
        long size = Files.size(journal);

        StoredState s = new FileStateStore(dir).inspect(EM);

        assertThat(s.sessions()).extracting(SessionSnapshot::uid).containsExactly(uid("a"));
        assertThat(s.incompleteJournalBytes()).isEqualTo(half.length);
        assertThat(Files.size(journal)).as("the owner's file is not truncated by a reader").isEqualTo(size);
    }

    @Test
    void givenCompactedStore_whenInspected_thenSnapshotAndNewJournalAreCombined() throws IOException {
        owner.commit(EM, List.of(snapshot("a", "Working", "None", null)));
        owner.commitWatermark(EM, BACKUP, T0);
        owner.compact(EM);
        owner.commit(EM, List.of(snapshot("a", "Stopped", "Failed", T0), snapshot("b", "Working", "None", null)));
        owner.commitWatermark(EM, BACKUP, T0.plusSeconds(60));

        StoredState s = FileStateStore.inspectDirectory(owner.directoryOf(EM));

        assertThat(s.emId()).as("from the snapshot header").isEqualTo(EM);
        assertThat(s.generation()).isEqualTo(1);
        assertThat(s.journalRecords()).as("two sessions and a watermark").isEqualTo(3);
        assertThat(s.watermarks()).containsExactly(Map.entry(BACKUP, T0.plusSeconds(60)));
        assertThat(s.sessions()).filteredOn(x -> x.uid().equals(uid("a"))).singleElement()
                .satisfies(x -> assertThat(x.state()).isEqualTo("Stopped"));
    }

    @Test
    void givenSeveralEms_whenListed_thenEachFolderWithStateIsFound() throws IOException {
        owner.commitWatermark(EM, BACKUP, T0);
        owner.commitWatermark("em 02", BACKUP, T0);
        Files.createDirectories(dir.resolve("not-an-em"));

        assertThat(owner.emDirectories()).containsExactly(owner.directoryOf(EM), owner.directoryOf("em 02"));
    }

    @Test
    void givenNoSuchEm_whenInspected_thenNoSuchFile() {
        assertThatThrownBy(() -> new FileStateStore(dir).inspect("em09")).isInstanceOf(NoSuchFileException.class);
        assertThat(dir.resolve("em09")).as("nothing created").doesNotExist();
    }

    @Test
    void givenReadOnlyFiles_whenWritten_thenRefused() throws IOException {
        owner.commitWatermark(EM, BACKUP, T0);
        EmStateFiles ro = EmStateFiles.openReadOnly(EM, owner.directoryOf(EM));
        assertThatThrownBy(() -> ro.commitWatermark(BACKUP, T0)).isInstanceOf(IOException.class).hasMessageContaining("read-only");
        assertThatThrownBy(ro::compact).isInstanceOf(IOException.class);
    }

    private Map<String, String> contents() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
            }
        }
        return files;
    }
}

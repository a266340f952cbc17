package dev.vse.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link StateStore} must do; subclasses supply the implementation. */
abstract class StateStoreContract {
    static final String EM = "em01";
    static final Instant T0 = Instant.parse("2025-08-15T20:00:00Z");

    StateStore store;

    abstract StateStore newStore();

    @BeforeEach
    void open() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    static SessionSnapshot snapshot(String uid, String state, String result, Instant end) {
        return new SessionSnapshot(EM, "urn:veeam:BackupJobSession:" + uid, "BackupJobSession",
                "https://em01:9398/api/backupSessions/" + uid + "?format=Entity", "urn:veeam:Job:job-1",
                "Fileserver Backup", "Backup", "srv02.tech.local", T0.minusSeconds(600), end, state, result,
                end == null ? 40 : 100, Boolean.FALSE, end != null, T0);
    }

    static String uid(String id) {
        return "urn:veeam:BackupJobSession:" + id;
    }

    @Test
    void givenCommittedSnapshots_whenRead_thenLatestVersionPerUid() {
        store.commit(EM, List.of(snapshot("a", "Working", "None", null)));
        store.commit(EM, List.of(snapshot("a", "Stopped", "Success", T0), snapshot("b", "Working", null, null)));

        assertThat(store.get(EM, uid("a"))).contains(snapshot("a", "Stopped", "Success", T0));
        assertThat(store.get(EM, uid("b"))).contains(snapshot("b", "Working", null, null));
        assertThat(store.get(EM, uid("zz"))).isEmpty();
        assertThat(store.get("em02", uid("a"))).as("EMs are separate").isEmpty();
        assertThat(store.size(EM)).isEqualTo(2);
    }

    @Test
    void givenMixedSessions_whenUnfinishedAsked_thenOnlyRunningOfThatType() {
        SessionSnapshot replica = new SessionSnapshot(EM, "urn:veeam:ReplicaJobSession:r", "ReplicaJobSession",
                null, null, null, null, null, T0, null, "Working", "None", 1, null, false, T0);
        store.commit(EM, List.of(snapshot("a", "Working", "None", null), snapshot("b", "Stopped", "Failed", T0),
                snapshot("c", "WaitingRepository", "None", null), replica));
        store.commit(EM, List.of(snapshot("a", "Stopped", "Success", T0)));

        assertThat(store.unfinished(EM, "BackupJobSession")).extracting(SessionSnapshot::uid)
                .containsExactly(uid("c"));
        assertThat(store.unfinished(EM, "ReplicaJobSession")).containsExactly(replica);
    }

    @Test
    void givenWatermarkAndBaseline_whenCommitted_thenReadBack() {
        assertThat(store.hasBaseline(EM)).isFalse();
        assertThat(store.watermark(EM, "BackupJobSession")).isEmpty();

        store.markBaseline(EM);
        store.commitWatermark(EM, "BackupJobSession", T0);

        assertThat(store.hasBaseline(EM)).isTrue();
        assertThat(store.hasBaseline("em02")).isFalse();
        assertThat(store.watermark(EM, "BackupJobSession")).contains(T0);
    }

    @Test
    void givenOldAndRecentSessions_whenPruned_thenOnlyOldStoppedForgotten() {
        store.commit(EM, List.of(snapshot("old", "Stopped", "Success", T0.minusSeconds(86_400 * 40)),
                snapshot("recent", "Stopped", "Failed", T0), snapshot("running", "Working", "None", null)));

        store.prune(EM, T0.minusSeconds(86_400 * 30));

        assertThat(store.get(EM, uid("old"))).isEmpty();
        assertThat(store.get(EM, uid("recent"))).isPresent();
        assertThat(store.get(EM, uid("running"))).isPresent();
        assertThat(store.size(EM)).isEqualTo(2);
    }
}

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
    static final String BACKUP = "BackupJobSession";
    static final String REPLICA = "ReplicaJobSession";

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
    void givenIncidentChanges_whenCommittedWithAPage_thenTheLatestStatePerJobAndClosedOnesGone() {
        store.commit(EM, List.of(snapshot("a", "Stopped", "Failed", T0)),
                List.of(new IncidentEntry("urn:veeam:Job:1", "{\"phase\":\"PENDING\"}"),
                        new IncidentEntry("urn:veeam:Job:2", "{\"phase\":\"OPEN\"}")));
        store.commit(EM, List.of(), List.of(new IncidentEntry("urn:veeam:Job:1", "{\"phase\":\"OPEN\"}"),
                new IncidentEntry("urn:veeam:Job:2", null), new IncidentEntry("urn:veeam:Job:never", null)));

        assertThat(store.incidents(EM)).containsExactly(java.util.Map.entry("urn:veeam:Job:1", "{\"phase\":\"OPEN\"}"));
        assertThat(store.get(EM, uid("a"))).isPresent();
        assertThat(store.incidents("em02")).as("EMs are separate").isEmpty();
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
    void givenWatermark_whenCommitted_thenReadBack() {
        assertThat(store.watermark(EM, BACKUP)).isEmpty();

        store.commitWatermark(EM, BACKUP, T0);

        assertThat(store.watermark(EM, BACKUP)).contains(T0);
        assertThat(store.watermark("em02", BACKUP)).isEmpty();
    }

    @Test
    void givenNoBaselineCommitted_whenAsked_thenEmpty() {
        assertThat(store.baseline(EM, BACKUP)).isEmpty();
    }

    @Test
    void givenBaselineCommittedTwice_whenRead_thenFirstValueWins() {
        store.commitBaseline(EM, BACKUP, T0);
        store.commitBaseline(EM, BACKUP, T0.plusSeconds(3_600));
        store.commitBaseline(EM, BACKUP, T0.minusSeconds(3_600));

        assertThat(store.baseline(EM, BACKUP)).contains(T0);
    }

    @Test
    void givenBaselinesOfSeveralTypesAndEms_whenRead_thenEachHasItsOwn() {
        store.commitBaseline(EM, BACKUP, T0);
        store.commitBaseline(EM, REPLICA, T0.plusSeconds(60));
        store.commitBaseline("em02", BACKUP, T0.plusSeconds(120));

        assertThat(store.baseline(EM, BACKUP)).contains(T0);
        assertThat(store.baseline(EM, REPLICA)).contains(T0.plusSeconds(60));
        assertThat(store.baseline("em02", BACKUP)).contains(T0.plusSeconds(120));
        assertThat(store.baseline("em02", REPLICA)).isEmpty();
    }

    @Test
    void givenBaseline_whenWatermarkMovesOn_thenBaselineStays() {
        store.commitBaseline(EM, BACKUP, T0);

        store.commitWatermark(EM, BACKUP, T0.plusSeconds(86_400));

        assertThat(store.baseline(EM, BACKUP)).contains(T0);
    }

    @Test
    void givenTrackedSessions_whenForgotten_thenGoneAndOthersKept() {
        store.commit(EM, List.of(snapshot("a", "Working", "None", null), snapshot("b", "Stopped", "Success", T0),
                snapshot("c", "Working", "None", null)));

        store.forget(EM, List.of(uid("a"), uid("b")));

        assertThat(store.get(EM, uid("a"))).isEmpty();
        assertThat(store.get(EM, uid("b"))).isEmpty();
        assertThat(store.get(EM, uid("c"))).isPresent();
        assertThat(store.size(EM)).isEqualTo(1);
    }

    @Test
    void givenForgottenRunningSession_whenUnfinishedAsked_thenNotListed() {
        store.commit(EM, List.of(snapshot("gone", "Working", "None", null), snapshot("kept", "Working", "None", null)));

        store.forget(EM, List.of(uid("gone")));

        assertThat(store.unfinished(EM, BACKUP)).extracting(SessionSnapshot::uid).containsExactly(uid("kept"));
    }

    @Test
    void givenUnknownUids_whenForgotten_thenHarmless() {
        store.commit(EM, List.of(snapshot("a", "Working", "None", null)));

        store.forget(EM, List.of(uid("never-seen"), uid("never-seen")));
        store.forget(EM, List.of());
        store.forget("em02", List.of(uid("a")));

        assertThat(store.get(EM, uid("a"))).isPresent();
        assertThat(store.size(EM)).isEqualTo(1);
    }

    @Test
    void givenForgottenSession_whenCommittedAgain_thenTrackedAgain() {
        store.commit(EM, List.of(snapshot("a", "Working", "None", null)));
        store.forget(EM, List.of(uid("a")));

        store.commit(EM, List.of(snapshot("a", "Stopped", "Success", T0)));

        assertThat(store.get(EM, uid("a"))).contains(snapshot("a", "Stopped", "Success", T0));
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

    @Test
    void givenOldSessionsThatAreNotStopped_whenPruned_thenNoneRemoved() {
        Instant longAgo = T0.minusSeconds(86_400 * 400);
        List<SessionSnapshot> notStopped = List.of(
                old("working-ended", "Working", longAgo, longAgo),
                old("postprocessing", "Postprocessing", longAgo, longAgo),
                old("unknown-state", "SomethingNew", longAgo, longAgo),
                old("no-state", null, longAgo, longAgo),
                old("no-end", "Working", null, longAgo));
        store.commit(EM, notStopped);
        store.commit(EM, List.of(old("stopped", "stopped", longAgo, longAgo)));

        store.prune(EM, T0);

        assertThat(notStopped).allSatisfy(s -> assertThat(store.get(EM, s.uid())).contains(s));
        assertThat(store.get(EM, uid("stopped"))).as("Stopped compares case-insensitively").isEmpty();
        assertThat(store.unfinished(EM, BACKUP)).hasSize(notStopped.size());
    }

    private static SessionSnapshot old(String id, String state, Instant end, Instant lastChanged) {
        return new SessionSnapshot(EM, uid(id), BACKUP, null, null, null, null, null, lastChanged.minusSeconds(600),
                end, state, "None", 50, null, false, lastChanged);
    }
}

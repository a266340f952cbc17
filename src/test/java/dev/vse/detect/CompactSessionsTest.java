package dev.vse.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compact in-memory form of {@link SessionTable} ({@link CompactSessions}) gives back every field exactly as
 * it was put, also for values that do not fit it; and the fast load path of {@link StoreCodec} reads exactly what
 * the tree path reads.
 */
class CompactSessionsTest {
    private static final String EM = "em01";
    private static final String GUID = "d46e39e0-1131-4585-91a7-e828ce7eafae";
    private static final Instant T0 = Instant.parse("2025-08-15T20:00:24.003406Z");
    private static final String BASE = "https://em01:9398/api/";

    private static SessionSnapshot typical(String guid) {
        return new SessionSnapshot(EM, "urn:veeam:BackupJobSession:" + guid, "BackupJobSession",
                BASE + "backupSessions/" + guid + "?format=Entity", "urn:veeam:Job:4856ab37-2235-45e8-affe-d515878b01a9",
                "Fileserver Backup", "Backup", "srv02.tech.local", T0.minusSeconds(600), T0, "Stopped", "Success",
                100, Boolean.FALSE, true, T0);
    }

    private static SessionSnapshot with(SessionSnapshot s, Function<Builder, Builder> change) {
        return change.apply(new Builder(s)).build();
    }

    /** Odd values of every field, each alone on a typical session, plus a few all at once. */
    static List<SessionSnapshot> oddSessions() {
        List<SessionSnapshot> all = new ArrayList<>();
        int[] n = {0};
        Function<Function<Builder, Builder>, SessionSnapshot> next = change -> {
            String guid = new UUID(0x1234_5678_9abc_def0L, n[0]++).toString();
            return with(typical(guid), change);
        };
        all.add(typical(GUID));
        all.add(typical("ffffffff-ffff-ffff-ffff-ffffffffffff"));
        all.add(typical("00000000-0000-0000-0000-000000000000"));
        all.add(typical("80000000-0000-0000-8000-000000000000"));
        // UIDs that are not in the EM form, or almost
        for (String uid : List.of("a", "", "urn:veeam:BackupJobSession:" + GUID.toUpperCase(),
                "urn:veeam:BackupJobSession:" + GUID.replace('-', '_'), "urn:veeam:BackupJobSession:" + GUID + "x",
                "urn:veeam:BackupJobSession:x" + GUID, "urn:veeam:BackupJobSession" + GUID,
                "urn:veeam::" + GUID, "urn:veeam:Odd:Type:" + GUID, "urn:veeam:ReplicaJobSession:" + GUID,
                "urn:veeam:BackupJobSession:" + GUID.substring(1) + "g", "URN:veeam:BackupJobSession:" + GUID,
                "urn:veeam:BackupJobSession:{" + GUID.substring(1), GUID, "urn:veeam:Back\u00fcpJobSession:" + GUID)) {
            all.add(with(typical(GUID), b -> b.uid(uid)));
        }
        // hrefs: absent, foreign, almost the derived form, the derived form of another type
        for (String href : new String[] {null, "", "https://other:9398/api/backupSessions/" + GUID + "?format=Entity",
                BASE + "backupSessions/" + GUID.toUpperCase() + "?format=Entity", BASE + "backupSessions/" + GUID,
                BASE + "backupSessions/" + GUID + "?format=Entity&x", BASE + "backupSessions/" + GUID + GUID,
                BASE + "replicaSessions/{guid}?format=Entity", "x"}) {
            all.add(next.apply(b -> b.href(href)));
        }
        // session type, State, Result: null, unknown, other case
        for (String v : new String[] {null, "", "Stopped", "stopped", "STOPPED", "Working", "Idle", "Postprocessing",
                "Sömething new", "None", "Success", "Warning", "Failed", "failed"}) {
            all.add(next.apply(b -> b.state(v)));
            all.add(next.apply(b -> b.result(v)));
            all.add(next.apply(b -> b.sessionType(v)));
        }
        // instants: null, epoch edges, precision finer than microseconds, beyond what micros hold
        for (Instant t : new Instant[] {null, Instant.EPOCH, Instant.EPOCH.minusNanos(1_000), Instant.EPOCH.minusNanos(1),
                Instant.parse("1969-12-31T23:59:59.999999Z"), Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("2025-08-15T20:00:24Z"), Instant.parse("2025-08-15T20:00:24.5Z"),
                Instant.parse("2025-08-15T20:00:24.123456789Z"), Instant.parse("2025-08-15T20:00:24.123456700Z"),
                Instant.MIN, Instant.MAX, Instant.ofEpochMilli(Long.MIN_VALUE), Instant.ofEpochMilli(Long.MAX_VALUE),
                Instant.ofEpochSecond(Long.MIN_VALUE / 1_000_000), Instant.ofEpochSecond(Long.MAX_VALUE / 1_000_000),
                Instant.ofEpochSecond(Long.MIN_VALUE / 1_000_000 - 1, 145_224_192_000L % 1_000_000_000L),
                Instant.ofEpochSecond(Long.MAX_VALUE / 1_000_000, 775_807_000)}) {
            all.add(next.apply(b -> b.creationTime(t)));
            all.add(next.apply(b -> b.endTime(t)));
            all.add(next.apply(b -> b.lastChanged(t)));
        }
        // progress, isRetry, terminalPublished
        for (Integer p : new Integer[] {null, 0, -1, 1, 100, 101, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            all.add(next.apply(b -> b.progress(p)));
        }
        for (Boolean r : new Boolean[] {null, Boolean.TRUE, Boolean.FALSE}) {
            for (boolean tp : new boolean[] {true, false}) {
                all.add(next.apply(b -> b.isRetry(r).terminalPublished(tp)));
            }
        }
        // job fields
        all.add(next.apply(b -> b.jobUid(null).jobName(null).jobType(null).backupServer(null)));
        all.add(next.apply(b -> b.jobName("")));
        all.add(next.apply(b -> b.jobName("Fileserver Backup 2")));
        all.add(next.apply(b -> b.backupServer("srv03.tech.local")));
        all.add(next.apply(b -> b.jobUid("urn:veeam:Job:other")));
        // another EM id in this EM's table
        all.add(next.apply(b -> b.emId("em02")));
        // everything odd at once
        all.add(next.apply(b -> b.href(null).sessionType(null).jobUid(null).jobName(null).jobType(null)
                .backupServer(null).creationTime(null).endTime(null).state(null).result(null).progress(null)
                .isRetry(null).terminalPublished(false).lastChanged(null)));
        all.add(next.apply(b -> b.href("z").sessionType("X").creationTime(Instant.MIN).endTime(Instant.MAX)
                .state("Weird").result("Odd").progress(Integer.MIN_VALUE).isRetry(true).lastChanged(Instant.EPOCH)));
        return all;
    }

    @Test
    void givenOddSessions_whenPutAndRead_thenEveryFieldIsBackExactly() {
        SessionTable table = new SessionTable(EM);
        List<SessionSnapshot> sessions = oddSessions();
        Map<String, SessionSnapshot> latest = sessions.stream()
                .collect(Collectors.toMap(SessionSnapshot::uid, s -> s, (a, b) -> b));
        table.putAll(sessions);

        for (SessionSnapshot s : latest.values()) {
            assertThat(table.get(s.uid())).as(s.toString()).contains(s);
        }
        assertThat(table.size()).isEqualTo(latest.size());
        assertThat(new ArrayList<>(table.all())).containsExactlyInAnyOrderElementsOf(latest.values());
        assertThat(table.tracked(latest.keySet())).containsExactlyInAnyOrderElementsOf(latest.keySet());
    }

    @Test
    void givenOddSessionsFirst_whenTypicalOnesFollow_thenBothAreBack() {
        // templates learned from odd hrefs must not spoil later typical ones, and the other way round
        SessionTable table = new SessionTable(EM);
        List<SessionSnapshot> sessions = new ArrayList<>();
        sessions.add(with(typical(GUID), b -> b.href("no guid here")));
        sessions.add(with(typical(new UUID(1, 1).toString()), b -> b.href(BASE + "x/" + new UUID(1, 1))));
        for (int i = 2; i < 50; i++) {
            sessions.add(typical(new UUID(i, i).toString()));
        }
        sessions.add(with(typical(new UUID(99, 99).toString()), b -> b.href(BASE + "backupSessions/" + new UUID(99, 99))));
        table.putAll(sessions);

        for (SessionSnapshot s : sessions) {
            assertThat(table.get(s.uid())).contains(s);
        }
    }

    @Test
    void givenTypicalEmSession_whenEncoded_thenCompactWithDerivedHref() {
        CompactSessions form = new CompactSessions(EM);
        SessionSnapshot s = typical(GUID);
        Object key = form.key(s.uid(), true);
        form.encode(key, typical(new UUID(5, 5).toString()));  // learns the template

        Object value = form.encode(key, s);

        assertThat(key).isInstanceOf(CompactSessions.Key.class);
        assertThat(value).isInstanceOf(CompactSessions.Compact.class);
        assertThat(((CompactSessions.Compact) value).href).as("derived, not stored").isNull();
        assertThat(form.decode(key, s.uid(), value)).isEqualTo(s);
        assertThat(form.uid(key)).isEqualTo(s.uid());
        assertThat(form.encode(form.key(typical(new UUID(6, 6).toString()).uid(), true), typical(new UUID(6, 6).toString())))
                .extracting(v -> ((CompactSessions.Compact) v).job)
                .as("one job object per job").isSameAs(((CompactSessions.Compact) value).job);
    }

    @Test
    void givenSameGuidUnderTwoTypes_whenStored_thenTwoSessions() {
        SessionTable table = new SessionTable(EM);
        SessionSnapshot backup = typical(GUID);
        SessionSnapshot replica = with(typical(GUID), b -> b.uid("urn:veeam:ReplicaJobSession:" + GUID)
                .sessionType("ReplicaJobSession").href(BASE + "replicaSessions/" + GUID + "?format=Entity"));
        table.putAll(List.of(backup, replica));

        assertThat(table.size()).isEqualTo(2);
        assertThat(table.get(backup.uid())).contains(backup);
        assertThat(table.get(replica.uid())).contains(replica);
        table.forget(List.of(backup.uid()));
        assertThat(table.get(backup.uid())).isEmpty();
        assertThat(table.get(replica.uid())).contains(replica);
        assertThat(table.get("urn:veeam:NeverSeen:" + GUID)).isEmpty();
        assertThat(table.tracked(List.of(backup.uid(), replica.uid(), replica.uid(), "urn:veeam:NeverSeen:" + GUID)))
                .containsExactly(replica.uid());
    }

    @Test
    void givenRunningSessions_whenStoppedOrForgotten_thenUnfinishedFollows() {
        SessionTable table = new SessionTable(EM);
        SessionSnapshot a = with(typical(new UUID(1, 1).toString()), b -> b.state("Working").endTime(null));
        SessionSnapshot odd = with(typical(GUID), b -> b.uid("odd").state("Idle"));
        SessionSnapshot lower = with(typical(new UUID(2, 2).toString()), b -> b.state("stopped"));
        SessionSnapshot replica = with(typical(new UUID(3, 3).toString()), b -> b.uid("urn:veeam:ReplicaJobSession:"
                + new UUID(3, 3)).sessionType("ReplicaJobSession").state(null));
        table.putAll(List.of(a, odd, lower, replica));

        assertThat(table.unfinished("BackupJobSession")).containsExactlyInAnyOrder(a, odd);
        assertThat(table.unfinished("ReplicaJobSession")).containsExactly(replica);
        SessionSnapshot stopped = with(a, b -> b.state("Stopped"));
        table.put(stopped);
        table.forget(List.of("odd"));
        assertThat(table.unfinished("BackupJobSession")).isEmpty();
        assertThat(table.get(a.uid())).contains(stopped);
    }

    @Test
    void givenStoppedSessions_whenPruned_thenExactlyThoseEndedBeforeTheBound() {
        SessionTable table = new SessionTable(EM);
        Instant end = Instant.parse("2025-08-15T20:00:24.003406Z");
        SessionSnapshot endsAt = with(typical(new UUID(1, 1).toString()), b -> b.endTime(end));
        SessionSnapshot noEnd = with(typical(new UUID(2, 2).toString()), b -> b.endTime(null).lastChanged(end));
        SessionSnapshot neither = with(typical(new UUID(3, 3).toString()), b -> b.endTime(null).lastChanged(null));
        SessionSnapshot running = with(typical(new UUID(4, 4).toString()), b -> b.state("Working").endTime(Instant.EPOCH));
        SessionSnapshot fine = with(typical(new UUID(5, 5).toString()), b -> b.endTime(end.plusNanos(1)));
        SessionSnapshot lower = with(typical(new UUID(6, 6).toString()), b -> b.state("STOPPED").endTime(Instant.MIN));
        table.putAll(List.of(endsAt, noEnd, neither, running, fine, lower));

        assertThat(table.prunable(end)).containsExactly(lower.uid());
        assertThat(table.prunable(end.plusNanos(1))).containsExactlyInAnyOrder(lower.uid(), endsAt.uid(), noEnd.uid());
        assertThat(table.prunable(end.plusNanos(2))).containsExactlyInAnyOrder(lower.uid(), endsAt.uid(), noEnd.uid(),
                fine.uid());
        assertThat(table.prunable(Instant.MIN)).isEmpty();
        assertThat(table.prune(end.plusNanos(1))).isEqualTo(3);
        assertThat(new ArrayList<>(table.all())).containsExactlyInAnyOrder(neither, running, fine);
        assertThat(table.prune(Instant.MAX)).isEqualTo(1);
        assertThat(new ArrayList<>(table.all())).containsExactlyInAnyOrder(neither, running);
    }

    @Test
    void givenOddSessions_whenFileStoreReopenedFromJournalAndFromSnapshot_thenEveryFieldIsBack(@TempDir Path dir) {
        List<SessionSnapshot> sessions = oddSessions().stream().filter(s -> s.emId().equals(EM)).toList();
        Map<String, SessionSnapshot> latest = sessions.stream()
                .collect(Collectors.toMap(SessionSnapshot::uid, s -> s, (a, b) -> b));
        try (FileStateStore store = new FileStateStore(dir)) {
            store.commit(EM, sessions);
        }
        for (int round = 0; round < 2; round++) {
            try (FileStateStore store = new FileStateStore(dir)) {
                for (SessionSnapshot s : latest.values()) {
                    assertThat(store.get(EM, s.uid())).as(s.toString()).contains(s);
                }
                assertThat(store.size(EM)).isEqualTo(latest.size());
                store.compact(EM);
            }
        }
    }

    @Test
    void fastRecordReader_readsExactlyWhatTheTreeReads() throws Exception {
        List<byte[]> payloads = new ArrayList<>();
        for (SessionSnapshot s : oddSessions()) {
            payloads.add(StoreCodec.snapshot(s));
        }
        for (String json : List.of(
                "{\"t\":\"s\",\"uid\":\"a\",\"uid\":\"b\",\"state\":\"Stopped\",\"progress\":5,\"progress\":null}",
                "{\"t\":\"s\",\"uid\":\"a\",\"extra\":{\"x\":1},\"isRetry\":\"true\"}",
                "{\"t\":\"s\",\"uid\":\"a\",\"progress\":\"7\",\"terminalPublished\":null}",
                "{\"t\":\"s\",\"uid\":\"a\",\"progress\":7.5,\"terminalPublished\":1}",
                "{\"t\":\"s\",\"uid\":\"a\",\"progress\":12345678901,\"isRetry\":null}",
                "{\"t\":\"s\",\"uid\":\"a\",\"state\":5,\"result\":true,\"href\":null}",
                "{\"uid\":\"a\",\"creationTime\":\"2025-08-15T20:00:24.1Z\",\"endTime\":\"1970-01-01T00:00:00Z\"}",
                "{\"t\":\"s\",\"uid\":\"a\",\"unknown\":\"x\"}",
                "{\"t\":\"s\",\"uid\":\"a\"} trailing",
                "{\"t\":\"s\",\"uid\":\"\\u00e9\\n\\\"\",\"jobName\":\"caf\u00e9\"}")) {
            payloads.add(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        for (byte[] payload : payloads) {
            SessionSnapshot tree = StoreCodec.snapshot(EM, StoreCodec.parse(payload));
            assertThat(StoreCodec.snapshot(EM, payload, null)).as(new String(payload)).isEqualTo(tree);
            String t = StoreCodec.parse(payload).path("t").asText();
            assertThat(StoreCodec.snapshot(EM, payload, "s")).isEqualTo("s".equals(t) ? tree : null);
        }
        assertThat(StoreCodec.snapshot(EM, StoreCodec.watermark("BackupJobSession", Instant.EPOCH), "s")).isNull();
        assertThat(StoreCodec.snapshot(EM, StoreCodec.forget(List.of("a")), "s")).isNull();
        assertThatThrownBy(() -> StoreCodec.snapshot(EM, "{\"t\":\"s\"}".getBytes(), "s"))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> StoreCodec.snapshot(EM, "{\"t\":\"s\",".getBytes(), null))
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void fastInstantParser_parsesExactlyWhatInstantParseParses() {
        List<String> values = new ArrayList<>(List.of("2025-08-15T20:00:24Z", "2025-08-15T20:00:24.003406Z",
                "2025-08-15T20:00:24.1Z", "2025-08-15T20:00:24.12Z", "2025-08-15T20:00:24.123456789Z",
                "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "1969-12-31T23:59:59.999999Z",
                "2024-02-29T12:00:00Z", "2000-02-29T00:00:00Z", "2016-12-31T23:59:60Z", "2025-08-15t20:00:24z",
                "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "2025-08-15T20:00:24.000Z",
                "2025-08-15T24:00:00Z"));
        for (Instant t : new Instant[] {Instant.MIN, Instant.MAX, Instant.EPOCH, T0}) {
            values.add(t.toString());
        }
        values.addAll(List.of("2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2025-13-01T00:00:00Z",
                "2025-00-01T00:00:00Z", "2025-04-31T00:00:00Z", "2025-08-15T24:00:01Z", "2025-08-15T20:60:00Z",
                "2025-08-15T20:00:61Z", "2025-08-15T20:00:24.Z", "2025-08-15T20:00:24.1234567890Z",
                "2025-08-15T20:00:24.12a4Z", "2025-08-15 20:00:24Z", "2025-08-15T20:00:24", "x", "",
                "2o25-08-15T20:00:24Z", "2025-08-15T20:00:2-Z", "2025-08-15T20:00:24+01:00"));
        int failing = 0;
        for (String v : values) {
            Class<? extends Throwable> expected = catchClass(() -> Instant.parse(v));
            if (expected == null) {
                assertThat(StoreCodec.instant(v)).as(v).isEqualTo(Instant.parse(v));
            } else {
                failing++;
                assertThatThrownBy(() -> StoreCodec.instant(v)).as(v).isInstanceOf(expected);
            }
        }
        assertThat(failing).as("some of them are invalid").isGreaterThan(10);
    }

    private static Class<? extends Throwable> catchClass(Runnable r) {
        try {
            r.run();
            return null;
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }

    /** A mutable copy of a snapshot, for variations. */
    private static final class Builder {
        String emId;
        String uid;
        String sessionType;
        String href;
        String jobUid;
        String jobName;
        String jobType;
        String backupServer;
        Instant creationTime;
        Instant endTime;
        String state;
        String result;
        Integer progress;
        Boolean isRetry;
        boolean terminalPublished;
        Instant lastChanged;

        Builder(SessionSnapshot s) {
            emId = s.emId();
            uid = s.uid();
            sessionType = s.sessionType();
            href = s.href();
            jobUid = s.jobUid();
            jobName = s.jobName();
            jobType = s.jobType();
            backupServer = s.backupServer();
            creationTime = s.creationTime();
            endTime = s.endTime();
            state = s.state();
            result = s.result();
            progress = s.progress();
            isRetry = s.isRetry();
            terminalPublished = s.terminalPublished();
            lastChanged = s.lastChanged();
        }

        Builder emId(String v) { emId = v; return this; }
        Builder uid(String v) { uid = v; return this; }
        Builder sessionType(String v) { sessionType = v; return this; }
        Builder href(String v) { href = v; return this; }
        Builder jobUid(String v) { jobUid = v; return this; }
        Builder jobName(String v) { jobName = v; return this; }
        Builder jobType(String v) { jobType = v; return this; }
        Builder backupServer(String v) { backupServer = v; return this; }
        Builder creationTime(Instant v) { creationTime = v; return this; }
        Builder endTime(Instant v) { endTime = v; return this; }
        Builder state(String v) { state = v; return this; }
        Builder result(String v) { result = v; return this; }
        Builder progress(Integer v) { progress = v; return this; }
        Builder isRetry(Boolean v) { isRetry = v; return this; }
        Builder terminalPublished(boolean v) { terminalPublished = v; return this; }
        Builder lastChanged(Instant v) { lastChanged = v; return this; }

        SessionSnapshot build() {
            return new SessionSnapshot(emId, uid, sessionType, href, jobUid, jobName, jobType, backupServer,
                    creationTime, endTime, state, result, progress, isRetry, terminalPublished, lastChanged);
        }
    }
}

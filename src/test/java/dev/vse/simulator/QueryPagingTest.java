package dev.vse.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.model.EmError;
import dev.vse.model.EmXml;
import dev.vse.model.JobSession;
import dev.vse.model.Link;
import dev.vse.model.PagingInfo;
import dev.vse.model.QueryResult;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.HashSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryPagingTest {
    private static final Instant T0 = Instant.parse("2025-08-15T06:00:00Z");
    private EmSimulator sim;
    private SimHttp http;

    @BeforeEach
    void start() throws Exception {
        sim = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"));
        http = new SimHttp(sim).logon();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private void fill(int n) {
        for (int i = 0; i < n; i++) {
            sim.estate().put(SimHttp.session(new UUID(0, i + 1).toString(), "Job " + (i % 7), "Stopped",
                    i % 10 == 0 ? "Failed" : "Success", T0.plusSeconds(n - i)).setEndTime(T0.plusSeconds(n - i + 60)));
        }
    }

    private QueryResult query(String q) {
        HttpResponse<byte[]> r = http.get("/query?" + q);
        assertThat(r.statusCode()).as(SimHttp.text(r)).isEqualTo(200);
        return EmXml.unmarshal(r.body(), QueryResult.class);
    }

    @ParameterizedTest
    @CsvSource({"0,1", "1,1", "100,1", "101,2", "1000,10"})
    void givenRows_whenQueryingWithoutPageSize_thenDefaultPageSize100(int rows, int pages) {
        fill(rows);
        QueryResult r = query("type=BackupJobSession");
        PagingInfo p = r.getPagingInfo();
        assertThat(p.getPageSize()).isEqualTo(100);
        assertThat(p.getPagesCount()).isEqualTo(pages);
        assertThat(p.getPageNum()).isEqualTo(1);
        assertThat(r.getRefs()).hasSize(Math.min(rows, 100));
    }

    @Test
    void givenPartialLastPage_whenReadingAllPages_thenEveryRowOnceInSortOrder() {
        fill(250);
        List<JobSession> seen = new ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            QueryResult r = query("type=BackupJobSession&format=Entities&sortAsc=CreationTime&pageSize=100&page=" + page);
            assertThat(r.getPagingInfo().getPagesCount()).isEqualTo(3);
            seen.addAll(r.jobSessions());
        }
        assertThat(seen).hasSize(250);
        Set<String> uids = new HashSet<>();
        seen.forEach(s -> uids.add(s.getUid()));
        assertThat(uids).hasSize(250);
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i).getCreationTimeUtc()).isAfterOrEqualTo(seen.get(i - 1).getCreationTimeUtc());
        }
    }

    @Test
    void givenPageBeyondTheEnd_whenQuerying_thenEmptyPageWithCorrectPagingInfo() {
        fill(150);
        QueryResult r = query("type=BackupJobSession&format=Entities&pageSize=100&page=5");
        assertThat(r.jobSessions()).isEmpty();
        assertThat(r.getPagingInfo().getPageNum()).isEqualTo(5);
        assertThat(r.getPagingInfo().getPagesCount()).isEqualTo(2);
        assertThat(rels(r)).containsExactly("First", "Last", "Previous");
    }

    @Test
    void givenMiddlePage_whenQuerying_thenFirstLastNextPreviousLinksWithEscapedAmpersands() {
        fill(300);
        HttpResponse<byte[]> raw = http.get("/query?type=backupjobsession&format=entities&filter="
                + QueryService.encode("CreationTime>=\"2025-08-15T06:00:00Z\";Result==Success") + "&pageSize=100&page=2");
        String xml = SimHttp.text(raw);
        assertThat(xml).contains("/query?type=BackupJobSession&amp;format=Entities&amp;filter=CreationTime%3E%3D%222025-08-15T06%3A00%3A00Z%22;Result%3D%3DSuccess&amp;pageSize=100&amp;page=3\" Rel=\"Next\"".replace("\" Rel=\"Next\"", ""));
        QueryResult r = EmXml.unmarshal(raw.body(), QueryResult.class);
        assertThat(rels(r)).containsExactly("First", "Last", "Previous", "Next");
        assertThat(link(r, "First")).endsWith("&pageSize=100&page=1").startsWith(sim.baseUrl() + "/query?type=BackupJobSession&format=Entities&filter=");
        assertThat(link(r, "Last")).endsWith("&page=3");
        assertThat(link(r, "Previous")).endsWith("&page=1");
        assertThat(link(r, "Next")).endsWith("&page=3");
        // following the Next link works as is
        QueryResult next = query(link(r, "Next").substring(link(r, "Next").indexOf('?') + 1));
        assertThat(next.getPagingInfo().getPageNum()).isEqualTo(3);
    }

    @Test
    void givenSortDesc_whenQuerying_thenStableWithUidTieBreaker() {
        fill(30);
        QueryResult r = query("type=BackupJobSession&format=Entities&sortDesc=JobName&pageSize=30");
        List<JobSession> s = r.jobSessions();
        for (int i = 1; i < s.size(); i++) {
            int c = s.get(i - 1).getJobName().compareToIgnoreCase(s.get(i).getJobName());
            assertThat(c).isGreaterThanOrEqualTo(0);
            if (c == 0) {
                assertThat(s.get(i - 1).getUid().compareTo(s.get(i).getUid())).isLessThan(0);
            }
        }
    }

    @Test
    void givenUnsortedQuery_whenReading_thenInsertionOrder() {
        fill(5);
        QueryResult r = query("type=BackupJobSession&format=Entities");
        assertThat(r.jobSessions()).extracting(JobSession::getUid)
                .containsExactly(uid(1), uid(2), uid(3), uid(4), uid(5));
    }

    @Test
    void givenBadQueries_whenQuerying_then400ErrorBodies() {
        assertError(http.get("/query?type=Unicorn"), 400, "Unicorn");
        assertError(http.get("/query?format=Entities"), 400, "type");
        assertError(http.get("/query?type=BackupJobSession&filter=" + QueryService.encode("Result=Failed")), 400, "comparison operator");
        assertError(http.get("/query?type=BackupJobSession&sortAsc=Colour"), 400, "Colour");
        assertError(http.get("/query?type=BackupJobSession&pageSize=0"), 400, "pageSize");
    }

    @Test
    void givenReplicaAndTaskTypes_whenQuerying_thenTheirWrappers() {
        sim.estate().put(new SimSession(SimSession.REPLICA, new UUID(1, 1).toString(), new UUID(2, 2).toString(), "Repl", "Replica", T0)
                .setState("Stopped").setResult("Success").addTask(new SimTaskSession(new UUID(3, 3).toString(), "vm1", T0)));
        sim.estate().put(SimHttp.session(new UUID(0, 9).toString(), "Job", "Working", "None", T0)
                .addTask(new SimTaskSession(new UUID(4, 4).toString(), "fs01", T0).setTotalSize(42)));
        QueryResult replicas = query("type=ReplicaJobSession&format=Entities");
        assertThat(replicas.getEntities().getReplicaJobSessions().getSessions()).singleElement()
                .satisfies(s -> assertThat(s.getJobType()).isEqualTo("Replica"));
        QueryResult tasks = query("type=BackupTaskSession&format=Entities&filter=VmDisplayName==fs01");
        assertThat(tasks.getEntities().getBackupTaskSessions().getSessions()).singleElement()
                .satisfies(t -> {
                    assertThat(t.getTotalSize()).isEqualTo(42L);
                    assertThat(t.getJobSessionUid()).isEqualTo("urn:veeam:BackupJobSession:" + new UUID(0, 9));
                });
    }

    /** What the pipeline's enrichment asks: the task sessions of several job sessions, OR-ed by JobSessionUid. */
    @Test
    void givenTaskSessionsOfSeveralJobSessions_whenQueryingByJobSessionUidOrFilter_thenTheirTasksOnlyAndPaged() {
        List<String> backups = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            SimSession s = SimHttp.session(new UUID(5, i).toString(), "Job " + i, "Stopped", "Failed", T0.plusSeconds(i));
            for (int v = 0; v < 3; v++) {
                s.addTask(new SimTaskSession(new UUID(6, i * 10 + v).toString(), "vm" + i + v, T0.plusSeconds(i * 10 + v)));
            }
            sim.estate().put(s);
            backups.add(s.uid());
        }
        SimSession replica = new SimSession(SimSession.REPLICA, new UUID(1, 1).toString(), new UUID(2, 2).toString(), "Repl",
                "Replica", T0).setState("Stopped").setResult("Warning")
                .addTask(new SimTaskSession(new UUID(3, 3).toString(), "r1", T0).setResult("Warning").setReason("Low space"));
        sim.estate().put(replica);
        // sessions 0, 2, 4 (one in other case), a UID that does not exist, and the replica session (another type)
        String filter = "(JobSessionUid==\"" + backups.get(0) + "\",JobSessionUid==\"" + backups.get(2).toUpperCase()
                + "\",JobSessionUid==\"" + backups.get(4) + "\",JobSessionUid==\"urn:veeam:BackupJobSession:nope\","
                + "JobSessionUid==\"" + replica.uid() + "\")";
        List<String> vms = new ArrayList<>();
        for (int page = 1; page <= 2; page++) {
            QueryResult r = query("type=BackupTaskSession&format=Entities&sortAsc=CreationTime&pageSize=5&page=" + page
                    + "&filter=" + QueryService.encode(filter));
            assertThat(r.getPagingInfo().getPagesCount()).isEqualTo(2);
            r.getEntities().getBackupTaskSessions().getSessions().forEach(t -> vms.add(t.getVmDisplayName()));
        }
        assertThat(vms).containsExactly("vm00", "vm01", "vm02", "vm20", "vm21", "vm22", "vm40", "vm41", "vm42");
        // the same answer as the general filter evaluation (a filter the index does not serve)
        QueryResult general = query("type=BackupTaskSession&format=Entities&sortAsc=CreationTime&pageSize=100&filter="
                + QueryService.encode(filter + ";TotalSize>=0"));
        assertThat(general.getEntities().getBackupTaskSessions().getSessions()).extracting(t -> t.getVmDisplayName())
                .containsExactlyElementsOf(vms);

        QueryResult replicaTasks = query("type=replicatasksession&format=Entities&filter="
                + QueryService.encode("JobSessionUid==\"" + replica.uid() + "\""));
        assertThat(replicaTasks.getEntities().getReplicaTaskSessions().getSessions()).singleElement().satisfies(t -> {
            assertThat(t.getUid()).startsWith("urn:veeam:ReplicaTaskSession:");
            assertThat(t.getJobSessionUid()).isEqualTo(replica.uid());
            assertThat(t.getReason()).isEqualTo("Low space");
        });
        assertThat(query("type=ReplicaTaskSession&filter=" + QueryService.encode("JobSessionUid==\"" + backups.get(0) + "\""))
                .getRefs()).isEmpty();
        assertThat(QueryService.jobSessionUids("JobSessionUid==\"a\"")).containsExactly("a");
        assertThat(QueryService.jobSessionUids("(jobsessionuid == \"a\" , JobSessionUid==\"b\"\"c\")")).containsExactly("a", "b\"c");
        assertThat(QueryService.jobSessionUids("(JobSessionUid==\"a\";JobSessionUid==\"b\")")).isNull();
        assertThat(QueryService.jobSessionUids("(JobSessionUid==\"a\"),(JobSessionUid==\"b\")")).isNull();
        assertThat(QueryService.jobSessionUids("Name==\"a\"")).isNull();
    }

    @Test
    void given100kSessions_whenReadingAllPagesOf1000_thenSecondsNotMinutes() {
        for (int i = 0; i < 100_000; i++) {
            sim.estate().put(SimHttp.session(new UUID(7, i).toString(), "Job " + (i % 50), "Stopped", "Success", T0.plusSeconds(i)));
        }
        // server-side cost only: the client's unmarshalling is not what this measures
        long t0 = System.nanoTime();
        int rows = 0;
        for (int page = 1; page <= 100; page++) {
            HttpResponse<byte[]> r = http.get("/query?type=BackupJobSession&format=Entities&filter="
                    + QueryService.encode("CreationTime>=\"2025-08-15T00:00:00Z\"") + "&sortAsc=CreationTime&pageSize=1000&page=" + page);
            assertThat(r.statusCode()).isEqualTo(200);
            rows += SimHttp.text(r).split("<BackupJobSession ", -1).length - 1;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("100k sessions, 100 pages of 1000: %.1f s, %d MB%n", seconds, sim.bytesServed() >> 20);
        assertThat(rows).isEqualTo(100_000);
        assertThat(seconds).isLessThan(30);
    }

    private static String uid(int i) {
        return "urn:veeam:BackupJobSession:" + new UUID(0, i);
    }

    private static List<String> rels(QueryResult r) {
        return r.getPagingInfo().getLinks().getLinks().stream().map(Link::getRel).toList();
    }

    private static String link(QueryResult r, String rel) {
        return r.getPagingInfo().getLinks().find(rel, null).orElseThrow().getHref();
    }

    static void assertError(HttpResponse<byte[]> r, int status, String messagePart) {
        assertThat(r.statusCode()).isEqualTo(status);
        EmError e = EmXml.unmarshal(r.body(), EmError.class);
        assertThat(e.getStatusCode()).isEqualTo(status);
        assertThat(e.getMessage()).contains(messagePart);
    }
}

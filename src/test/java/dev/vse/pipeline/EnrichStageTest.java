package dev.vse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.detect.ChangeDetector;
import dev.vse.em.EmServerConfig;
import dev.vse.em.EmSource;
import dev.vse.em.SessionQuery;
import dev.vse.enrich.TaskEnrichment;
import dev.vse.event.CloudEventMapper;
import dev.vse.event.EventType;
import dev.vse.event.SessionEvent;
import dev.vse.event.TaskOutcome;
import dev.vse.event.Topics;
import dev.vse.model.BackupJobSession;
import dev.vse.model.JobSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** Tasks on failed and warning records, within Kafka's record size; each record built once more at most. */
class EnrichStageTest {
    private static final Instant T = Instant.parse("2026-12-01T02:00:00Z");
    private static final EmSource EM = new EmSource(
            EmServerConfig.builder("em01", "http://em01:9399/api").credentials("u", "p").build(),
            List.of("BackupJobSession"), List.of(), List.of(), List.of(), List.of());
    private final EventRecords build = new EventRecords(new DefaultCamelContext(), new CloudEventMapper(),
            new Topics("completed", "failed", "changes", "dlq"));

    private static JobSession failed(String id) {
        BackupJobSession s = new BackupJobSession();
        s.setUid("urn:veeam:BackupJobSession:" + id);
        s.setHref("http://em01:9399/api/backupSessions/" + id + "?format=Entity");
        s.setJobUid("urn:veeam:Job:j" + id);
        s.setJobName("Job " + id);
        s.setCreationTimeUtc(T);
        s.setState("Stopped");
        s.setResult("Failed");
        s.setEndTimeUtc(T.plusSeconds(60));
        return s;
    }

    private DetectedPage page(List<JobSession> sessions) {
        Cycle cycle = new Cycle(EM, "BackupJobSession", Cycle.Kind.REGULAR, SessionQuery.of(SessionQuery.Type.BackupJobSession), T, T);
        List<SessionEvent> events = new ArrayList<>();
        for (JobSession s : sessions) {
            events.addAll(new ChangeDetector(false).detect("em01", "http://em01:9399/api", s, Optional.empty(), null,
                    T.plusSeconds(90)).events());
        }
        return new DetectedPage(cycle, "GET query", sessions, events, events.stream().map(build::of).toList(), List.of(),
                List.of(), List.of(), List.of());
    }

    private static List<TaskOutcome> tasks(int n, int reasonLength) {
        List<TaskOutcome> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(new TaskOutcome("vm" + i, i == 0 ? "Failed" : "Success", i == 0 ? "Error: snapshot" : "x".repeat(reasonLength),
                    "Completed", "urn:veeam:BackupTaskSession:" + i, T));
        }
        return l;
    }

    @Test
    void givenFewTasks_thenTheyAreOnTheRecord_andItIsBuiltOnceWhenPublished() {
        DetectedPage page = page(List.of(failed("a")));
        EnrichStage stage = new EnrichStage(new TaskEnrichment(true, (em, s) -> tasks(3, 10)), build);
        DetectedPage out = stage.enrich(page);
        int i = out.events().indexOf(out.events().stream().filter(e -> e.type() == EventType.FAILED).findFirst().orElseThrow());
        assertThat(out.events().get(i).tasks()).hasSize(3);
        assertThat(out.records().get(i)).as("not built by enrichment: it fits by the upper bound").isNull();
        List<Message> records = out.allRecords(build);
        assertThat(records).doesNotContainNull().hasSize(out.events().size());
        assertThat(EventRecords.size(records.get(i))).isGreaterThan(EventRecords.size(page.records().get(i)));
        assertThat(records.get(1 - i)).as("the changes record is the one detection built").isSameAs(page.records().get(1 - i));
    }

    @Test
    void givenTasksThatWouldMakeTheRecordTooLarge_thenOnlyThoseThatNeedAttention_orNoneWithTasksError() {
        DetectedPage page = page(List.of(failed("b")));
        // 2,000 tasks with 1,000-character reasons: ~2 MB; the one failed task fits
        DetectedPage out = new EnrichStage(new TaskEnrichment(true, (em, s) -> tasks(2000, 1000)), build).enrich(page);
        SessionEvent failed = out.events().stream().filter(e -> e.type() == EventType.FAILED).findFirst().orElseThrow();
        assertThat(failed.tasks()).extracting(TaskOutcome::name).containsExactly("vm0");
        assertThat(out.allRecords(build)).allSatisfy(m -> assertThat(EventRecords.size(m)).isLessThanOrEqualTo(ChangeStage.MAX_RECORD_BYTES));

        // every task needs attention and together they are too large: none, and tasksError says why
        List<TaskOutcome> allFailed = new ArrayList<>();
        for (int n = 0; n < 2000; n++) {
            allFailed.add(new TaskOutcome("vm" + n, "Failed", "y".repeat(1000), "Completed", "t" + n, T));
        }
        out = new EnrichStage(new TaskEnrichment(true, (em, s) -> allFailed), build).enrich(page);
        failed = out.events().stream().filter(e -> e.type() == EventType.FAILED).findFirst().orElseThrow();
        assertThat(failed.tasks()).isNull();
        assertThat(failed.tasksError()).contains("2000 task sessions left out");
    }

    @Test
    void upperBoundIsAtLeastWhatTheTasksAdd() {
        DetectedPage page = page(List.of(failed("c")));
        List<TaskOutcome> t = tasks(50, 200);
        SessionEvent failed = page.events().stream().filter(e -> e.type() == EventType.FAILED).findFirst().orElseThrow();
        long without = EventRecords.size(build.of(failed));
        long with = EventRecords.size(build.of(failed.withTasks(t, null)));
        assertThat(without + EnrichStage.upperBound(t)).isGreaterThanOrEqualTo(with);
    }
}

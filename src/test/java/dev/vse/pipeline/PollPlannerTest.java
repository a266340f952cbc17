package dev.vse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.em.EmSource;
import dev.vse.detect.InMemoryStateStore;
import dev.vse.detect.InitialLoadPolicy;
import dev.vse.em.EmServerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** The query window and the job filters pushed down into EM's query. */
class PollPlannerTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00.987Z");

    static EmSource em(List<String> typesIn, List<String> typesOut, List<String> namesIn, List<String> namesOut) {
        return new EmSource(EmServerConfig.builder("em01", "http://em01:9399/api").credentials("u", "p").build(),
                List.of("BackupJobSession", "ReplicaJobSession"), typesIn, typesOut, namesIn, namesOut);
    }

    @Test
    void window_coversCreatedEndedOrStillRunning_inWholeSeconds() {
        String f = PollPlanner.filter(em(List.of(), List.of(), List.of(), List.of()), Instant.parse("2026-03-01T11:00:00Z"), true);
        assertThat(f).isEqualTo("(CreationTime>=\"2026-03-01T11:00:00Z\",EndTime>=\"2026-03-01T11:00:00Z\",State!=\"Stopped\")");
    }

    @Test
    void jobTypeAndNameLists_arePushedDownAsAndedTerms() {
        String f = PollPlanner.filter(em(List.of("Backup", "BackupCopy"), List.of("AgentBackup"), List.of(),
                List.of("Lab \"Test\" Job")), Instant.parse("2026-03-01T11:00:00Z"), true);
        assertThat(f).startsWith("((CreationTime>=")
                .contains(";(JobType==\"Backup\",JobType==\"BackupCopy\")")
                .contains("JobType!=\"AgentBackup\"")
                .contains("JobName!=\"Lab \"\"Test\"\" Job\"");
    }

    @Test
    void sweepWindow_coversCreatedOrEnded_withoutTheRunningClause() {
        String f = PollPlanner.filter(em(List.of(), List.of(), List.of(), List.of()), Instant.parse("2026-03-01T11:00:00Z"), false);
        assertThat(f).isEqualTo("(CreationTime>=\"2026-03-01T11:00:00Z\",EndTime>=\"2026-03-01T11:00:00Z\")");
    }

    private static PollPlanner planner(EmClients clients, InMemoryStateStore store, InitialLoadPolicy policy,
                                       SweepSchedule sweeps, Instant now) {
        return new PollPlanner(clients, store, policy, Duration.ofMinutes(30), Duration.ofHours(24), sweeps,
                Clock.fixed(now, ZoneOffset.UTC));
    }

    private static SweepSchedule noSweeps() {
        return new SweepSchedule(Duration.ZERO, Duration.ofHours(48), NOW);
    }

    @Test
    void firstCycle_looksBackTheInitialLookback_laterCycles_theLagMarginBeforeTheWatermark() {
        InMemoryStateStore store = new InMemoryStateStore();
        var camel = new DefaultCamelContext();
        try (EmClients clients = new EmClients(camel, List.of(em(List.of(), List.of(), List.of(), List.of())))) {
            PollPlanner planner = planner(clients, store, InitialLoadPolicy.BASELINE, noSweeps(), NOW);
            List<Cycle> first = planner.cycles("em01");
            assertThat(first).extracting(Cycle::sessionType).containsExactly("BackupJobSession", "ReplicaJobSession");
            assertThat(first).allMatch(c -> c.kind() == Cycle.Kind.REGULAR);
            assertThat(first.get(0).query().filter()).contains("CreationTime>=\"2026-02-28T12:00:00Z\"");
            assertThat(first.get(0).query().sortAsc()).isEqualTo("CreationTime");
            assertThat(first.get(0).query().pageSize()).isEqualTo(500);

            store.commitWatermark("em01", "BackupJobSession", Instant.parse("2026-03-01T11:59:00Z"));
            List<Cycle> next = planner.cycles("em01");
            assertThat(next.get(0).query().filter()).contains("CreationTime>=\"2026-03-01T11:29:00Z\"");
            assertThat(next.get(1).query().filter()).as("replica sessions still have their own first window")
                    .contains("CreationTime>=\"2026-02-28T12:00:00Z\"");
        }
    }

    @Test
    void baselineInstant_isRecordedAtTheFirstPoll_andNeverMoves_andThePolicyDrawsTheHistoryBoundary() {
        InMemoryStateStore store = new InMemoryStateStore();
        try (EmClients clients = new EmClients(new DefaultCamelContext(), List.of(em(List.of(), List.of(), List.of(), List.of())))) {
            Cycle first = planner(clients, store, InitialLoadPolicy.BASELINE, noSweeps(), NOW).cycles("em01").get(0);
            assertThat(store.baseline("em01", "BackupJobSession")).contains(NOW);
            assertThat(first.historyBefore()).isEqualTo(NOW);

            Instant later = NOW.plus(Duration.ofDays(2));
            Cycle again = planner(clients, store, InitialLoadPolicy.BASELINE, noSweeps(), later).cycles("em01").get(0);
            assertThat(again.historyBefore()).as("B is not moved by a later start").isEqualTo(NOW);
            Cycle since = planner(clients, store, InitialLoadPolicy.parse("since:6h"), noSweeps(), later).cycles("em01").get(0);
            assertThat(since.historyBefore()).isEqualTo(NOW.minus(Duration.ofHours(6)));
            Cycle all = planner(clients, store, InitialLoadPolicy.ALL, noSweeps(), later).cycles("em01").get(0);
            assertThat(all.historyBefore()).isNull();
        }
    }

    @Test
    void sweep_isDueAnIntervalAfterStart_thenAnIntervalAfterTheLastCompleteOne() {
        InMemoryStateStore store = new InMemoryStateStore();
        SweepSchedule sweeps = new SweepSchedule(Duration.ofHours(6), Duration.ofHours(48), NOW);
        try (EmClients clients = new EmClients(new DefaultCamelContext(), List.of(em(List.of(), List.of(), List.of(), List.of())))) {
            assertThat(planner(clients, store, InitialLoadPolicy.BASELINE, sweeps, NOW).cycles("em01"))
                    .extracting(Cycle::kind).containsOnly(Cycle.Kind.REGULAR);
            Instant due = NOW.plus(Duration.ofHours(6));
            List<Cycle> cycles = planner(clients, store, InitialLoadPolicy.BASELINE, sweeps, due).cycles("em01");
            assertThat(cycles).extracting(Cycle::kind).containsExactly(Cycle.Kind.REGULAR, Cycle.Kind.SWEEP,
                    Cycle.Kind.REGULAR, Cycle.Kind.SWEEP);
            assertThat(cycles.get(1).query().filter()).startsWith("(CreationTime>=\"2026-02-27T18:00:00Z\"");

            sweeps.done("em01", "BackupJobSession", due);
            assertThat(planner(clients, store, InitialLoadPolicy.BASELINE, sweeps, due.plusSeconds(60)).cycles("em01"))
                    .extracting(Cycle::kind).containsExactly(Cycle.Kind.REGULAR, Cycle.Kind.REGULAR, Cycle.Kind.SWEEP);
        }
    }

    @Test
    void reach_isTheEarliestWindowOrSweepStart_soPruningCannotForgetWhatAQueryStillReturns() {
        // guards: a window stuck longer than STATE_RETENTION re-read pruned sessions and published them twice
        InMemoryStateStore store = new InMemoryStateStore();
        SweepSchedule sweeps = new SweepSchedule(Duration.ofHours(6), Duration.ofHours(48), NOW);
        try (EmClients clients = new EmClients(new DefaultCamelContext(), List.of(em(List.of(), List.of(), List.of(), List.of())))) {
            PollPlanner planner = planner(clients, store, InitialLoadPolicy.BASELINE, sweeps, NOW);
            store.commitWatermark("em01", "BackupJobSession", NOW.minus(Duration.ofDays(10)));
            store.commitWatermark("em01", "ReplicaJobSession", NOW.minusSeconds(60));
            assertThat(planner.reach("em01", NOW)).isEqualTo(NOW.minus(Duration.ofDays(10)).minus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.SECONDS));

            store.commitWatermark("em01", "BackupJobSession", NOW.minusSeconds(60));
            assertThat(planner.reach("em01", NOW)).as("the sweep reaches furthest").isEqualTo(NOW.minus(Duration.ofHours(48)).truncatedTo(ChronoUnit.SECONDS));
        }
    }
}

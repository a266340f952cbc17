package dev.vse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.em.EmSource;
import dev.vse.detect.InMemoryStateStore;
import dev.vse.em.EmServerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
        String f = PollPlanner.filter(em(List.of(), List.of(), List.of(), List.of()), Instant.parse("2026-03-01T11:00:00Z"));
        assertThat(f).isEqualTo("(CreationTime>=\"2026-03-01T11:00:00Z\",EndTime>=\"2026-03-01T11:00:00Z\",State!=\"Stopped\")");
    }

    @Test
    void jobTypeAndNameLists_arePushedDownAsAndedTerms() {
        String f = PollPlanner.filter(em(List.of("Backup", "BackupCopy"), List.of("AgentBackup"), List.of(),
                List.of("Lab \"Test\" Job")), Instant.parse("2026-03-01T11:00:00Z"));
        assertThat(f).startsWith("((CreationTime>=")
                .contains(";(JobType==\"Backup\",JobType==\"BackupCopy\")")
                .contains("JobType!=\"AgentBackup\"")
                .contains("JobName!=\"Lab \"\"Test\"\" Job\"");
    }

    @Test
    void firstCycle_looksBackTheInitialLookback_laterCycles_theLagMarginBeforeTheWatermark() {
        InMemoryStateStore store = new InMemoryStateStore();
        var camel = new DefaultCamelContext();
        try (EmClients clients = new EmClients(camel, List.of(em(List.of(), List.of(), List.of(), List.of())))) {
            PollPlanner planner = new PollPlanner(clients, store, Duration.ofMinutes(30), Duration.ofHours(24),
                    Clock.fixed(NOW, ZoneOffset.UTC));
            List<Cycle> first = planner.cycles("em01");
            assertThat(first).extracting(Cycle::sessionType).containsExactly("BackupJobSession", "ReplicaJobSession");
            assertThat(first).allMatch(Cycle::initialLoad);
            assertThat(first.get(0).query().filter()).contains("CreationTime>=\"2026-02-28T12:00:00Z\"");
            assertThat(first.get(0).query().sortAsc()).isEqualTo("CreationTime");
            assertThat(first.get(0).query().pageSize()).isEqualTo(500);

            store.commitWatermark("em01", "BackupJobSession", Instant.parse("2026-03-01T11:59:00Z"));
            List<Cycle> next = planner.cycles("em01");
            assertThat(next.get(0).initialLoad()).isFalse();
            assertThat(next.get(0).query().filter()).contains("CreationTime>=\"2026-03-01T11:29:00Z\"");
            assertThat(next.get(1).initialLoad()).as("replica sessions still have their own first cycle").isTrue();
        }
    }
}

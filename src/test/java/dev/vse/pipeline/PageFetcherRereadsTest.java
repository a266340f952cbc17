package dev.vse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.detect.InMemoryStateStore;
import dev.vse.detect.SessionSnapshot;
import dev.vse.em.EmRetry;
import dev.vse.em.EmServerConfig;
import dev.vse.em.EmSource;
import dev.vse.em.SessionQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** Which tracked running sessions a cycle re-reads by Href. */
class PageFetcherRereadsTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final EmSource EM = new EmSource(
            EmServerConfig.builder("em01", "http://em01:9399/api").credentials("u", "p").build(),
            List.of("BackupJobSession"), List.of(), List.of(), List.of(), List.of());

    private static SessionSnapshot running(String guid) {
        String uid = "urn:veeam:BackupJobSession:" + guid;
        return new SessionSnapshot("em01", uid, "BackupJobSession", "http://em01:9399/api/backupSessions/" + guid,
                "urn:veeam:Job:1", "Job", "Backup", "vbr01", NOW, null, "Working", "None", 10, false, false, NOW);
    }

    private static Cycle cycle(Cycle.Kind kind) {
        return new Cycle(EM, "BackupJobSession", kind, SessionQuery.of(SessionQuery.Type.BackupJobSession), NOW, NOW);
    }

    @Test
    void given1200HiddenRunningSessions_whenCyclesRereadAtMost500_thenEveryOneIsReadWithinThreeCycles() {
        // guards: the cap always picked the same 500, and the other 700 never ended
        InMemoryStateStore store = new InMemoryStateStore();
        List<SessionSnapshot> tracked = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            tracked.add(running(UUID.randomUUID().toString()));
        }
        store.commit("em01", tracked);
        try (EmClients clients = new EmClients(new DefaultCamelContext(), List.of(EM))) {
            PageFetcher fetcher = new PageFetcher(clients, store, new EmRetry(0, Duration.ofMillis(1)), 500);
            Set<String> read = new HashSet<>();
            for (int c = 0; c < 3; c++) {
                List<SessionSnapshot> batch = fetcher.unfinished(cycle(Cycle.Kind.REGULAR));
                assertThat(batch).hasSize(500).doesNotHaveDuplicates();
                batch.forEach(s -> read.add(s.uid()));
            }
            assertThat(read).hasSize(1200);
        }
    }

    @Test
    void givenSessionsSeenInTheAnswerOrASweep_whenRereadsPlanned_thenThoseAreLeftOut() {
        InMemoryStateStore store = new InMemoryStateStore();
        SessionSnapshot seen = running("00000000-0000-0000-0000-000000000001");
        SessionSnapshot hidden = running("00000000-0000-0000-0000-000000000002");
        store.commit("em01", List.of(seen, hidden));
        try (EmClients clients = new EmClients(new DefaultCamelContext(), List.of(EM))) {
            PageFetcher fetcher = new PageFetcher(clients, store, new EmRetry(0, Duration.ofMillis(1)), 500);
            Cycle regular = cycle(Cycle.Kind.REGULAR);
            regular.seen().add(seen.uid());
            assertThat(fetcher.unfinished(regular)).containsExactly(hidden);
            assertThat(fetcher.unfinished(cycle(Cycle.Kind.SWEEP))).as("the regular cycle re-reads them").isEmpty();
        }
    }
}

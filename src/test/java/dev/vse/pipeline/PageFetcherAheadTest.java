package dev.vse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vse.detect.InMemoryStateStore;
import dev.vse.em.EmRequestException;
import dev.vse.em.EmRetry;
import dev.vse.em.EmServerConfig;
import dev.vse.em.EmSource;
import dev.vse.em.SessionQuery;
import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.SimSession;
import dev.vse.simulator.SimulatorOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Page k+1 is asked for while page k is processed; its outcome, a failure too, only counts when it is taken. */
class PageFetcherAheadTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private EmSimulator sim;
    private ExecutorService pool;

    @BeforeEach
    void start() throws Exception {
        sim = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"));
        for (int i = 0; i < 25; i++) {
            sim.estate().put(new SimSession(SimSession.BACKUP, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                    "Job " + i, "Backup", T0.plusSeconds(i)).setState("Stopped").setResult("Success")
                    .setEndTime(T0.plusSeconds(i + 60)));
        }
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        sim.close();
    }

    private Cycle cycle(EmSource em) {
        return new Cycle(em, "BackupJobSession", Cycle.Kind.REGULAR,
                SessionQuery.of(SessionQuery.Type.BackupJobSession).withSortAsc("CreationTime"), T0, T0);
    }

    private void awaitQueries(long n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (sim.requestsTo("/query") < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(sim.requestsTo("/query")).isEqualTo(n);
    }

    @Test
    void givenThreePages_whenPage1IsTaken_thenPage2IsAskedForAhead_andAFailureOfPage3EndsTheCycleOnlyWhenItIsTaken()
            throws Exception {
        EmSource em = em();
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.start();
        try (camel; EmClients clients = new EmClients(camel, List.of(em))) {
            PageFetcher fetcher = fetcher(clients);
            Cycle cycle = cycle(em);

            FetchedPage p1 = fetcher.nextPage(cycle);
            assertThat(p1.sessions()).hasSize(10);
            awaitQueries(2); // page 2 is on its way while page 1 is processed
            Thread.sleep(100);
            assertThat(sim.requestsTo("/query")).as("never more than one page ahead").isEqualTo(2);

            awaitAhead(cycle);
            // EM fails from now on: page 2 was answered ahead, page 3 is asked for when page 2 is taken, and fails
            sim.faults().failPaths("query", 500);
            FetchedPage p2 = fetcher.nextPage(cycle); // the answer asked for ahead
            assertThat(p2.sessions()).hasSize(10).extracting(s -> s.getUid())
                    .doesNotContainAnyElementsOf(p1.sessions().stream().map(s -> s.getUid()).toList());
            awaitQueries(3);
            awaitAhead(cycle);
            assertThat(fetcher.hasPage(cycle)).isTrue();
            // the failure of page 3 counts only now, when page 3 is taken (page 2 was processed and committed before)
            EmRequestException e = catchThrowableOfType(EmRequestException.class, () -> fetcher.nextPage(cycle));
            assertThat(e.status()).isEqualTo(500);
            sim.faults().clearPathFailures();

            // the next cycle reads all three pages
            Cycle next = cycle(em);
            assertThat(fetcher.nextPage(next).sessions()).hasSize(10);
            assertThat(fetcher.nextPage(next).sessions()).hasSize(10);
            FetchedPage p3 = fetcher.nextPage(next);
            assertThat(p3.sessions()).hasSize(5);
            assertThat(fetcher.hasPage(next)).isFalse();
        }
    }

    @Test
    void givenAPageAskedForAhead_whenTheCycleEnds_thenItIsDiscarded() throws Exception {
        EmSource em = em();
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.start();
        try (camel; EmClients clients = new EmClients(camel, List.of(em))) {
            PageFetcher fetcher = fetcher(clients);
            Cycle cycle = cycle(em);
            fetcher.nextPage(cycle);
            assertThat(cycle.paging().takeAhead(2)).isNotNull();
            fetcher.nextPage(cycle); // taken above: asked for again, not from the head start
            cycle.paging().discardAhead();
            assertThat(cycle.paging().takeAhead(3)).isNull();
        }
    }

    private static void awaitAhead(Cycle cycle) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!cycle.paging().aheadDone() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(cycle.paging().aheadDone()).isTrue();
    }

    /** The simulator as EM em01, backup sessions only, pages of 10. */
    private EmSource em() {
        return new EmSource(EmServerConfig.builder("em01", sim.baseUrl()).credentials("admin", "admin")
                .pageSize(10).build(), List.of("BackupJobSession"), List.of(), List.of(), List.of(), List.of());
    }

    /** A fetcher that reads one page ahead on {@link #pool}, without retries. */
    private PageFetcher fetcher(EmClients clients) {
        return new PageFetcher(clients, new InMemoryStateStore(), new EmRetry(0, Duration.ofMillis(1)), 500, pool);
    }
}

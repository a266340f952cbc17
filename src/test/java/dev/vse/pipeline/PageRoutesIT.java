package dev.vse.pipeline;

import static dev.vse.testkit.PipelineHarness.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.app.AppConfig;
import dev.vse.app.PipelineBeans;
import dev.vse.app.Settings;
import dev.vse.detect.InMemoryStateStore;
import dev.vse.detect.SessionSnapshot;
import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.SimSession;
import dev.vse.simulator.SimulatorOptions;
import dev.vse.testkit.AllLogs;
import dev.vse.testkit.EmbeddedKafka;
import dev.vse.testkit.PipelineHarness;
import dev.vse.testkit.RestartableKafka;
import dev.vse.testkit.TestConsumers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The project's YAML routes ({@code routes/*.yaml}) in a Camel context of camel-test-junit5, with the beans
 * bound as the application binds them ({@link PipelineBeans}), a real in-JVM Kafka broker and the EM simulator
 * over real HTTP. Each test hands one {@link Cycle} from the {@code pollPlanner} bean to {@code direct:poll-cycle}
 * (the timer of the {@code poll-em} template is not instantiated) and then looks at the topics, the state store
 * and the watermark.
 *
 * <p>Page size 2, one session type, no sweep, one EM retry. Sessions of the job {@value #HIDDEN_JOB} are left out
 * of the query, so a tracked running session of that job is reachable only by its Href re-read.
 *
 * <p>Pages are taken one at a time by a loop that ends at the first failure (an earlier streaming split walked
 * the rest of its iterator to release exchanges after it stopped, fetching every remaining page from EM for
 * nothing): after a failed page, EM is asked for nothing more; at most the one page asked for ahead while the
 * page before it was processed is discarded unprocessed.
 */
class PageRoutesIT extends CamelTestSupport {
    private static final String EM = "em01";
    private static final String TYPE = SimSession.BACKUP;
    private static final String HIDDEN_JOB = "Hidden";
    private static final Duration QUIET = Duration.ofSeconds(2);
    private static EmbeddedKafka kafka;
    /** Tests whose name starts with this get a broker of their own that they can stop and start again. */
    private static final String OUTAGE_TESTS = "givenKafkaNotAcknowledging";
    private RestartableKafka outageKafka;

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String completedTopic = "completed-" + suffix;
    private final String failedTopic = "failed-" + suffix;
    private final String changesTopic = "changes-" + suffix;
    private final String dlqTopic = "dlq-" + suffix;
    private final List<ConsumerRecord<String, byte[]>> received = new CopyOnWriteArrayList<>();
    private final InMemoryStateStore store = new InMemoryStateStore();
    private Path stateDir;
    private EmSimulator em;
    private AppConfig config;
    private EmClients ems;
    private KafkaConsumer<String, byte[]> consumer;
    private AllLogs logs;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    // --- the context: the project's routes and beans -------------------------------------------

    /** Runs before the context is created: the EM it talks to and the configuration it is built from. */
    @Override
    protected void doPreSetup() throws Exception {
        em = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"));
        stateDir = Files.createTempDirectory("page-routes-"); // AppConfig wants one; the store here is in memory
        String bootstrap = kafka.bootstrapServers();
        if (getCurrentTestName().startsWith(OUTAGE_TESTS)) {
            outageKafka = RestartableKafka.start(stateDir.resolve("kafka"));
            bootstrap = outageKafka.bootstrapServers();
        }
        Map<String, String> o = new java.util.LinkedHashMap<>(PipelineHarness.overrides(bootstrap, stateDir,
                em.baseUrl(), completedTopic, failedTopic, changesTopic, dlqTopic));
        o.put("em.page-size", "2");
        o.put("em.session-types", TYPE);
        o.put("em.job-names.exclude", HIDDEN_JOB);
        o.put("poll.sweep-interval", "0");
        config = AppConfig.from(Settings.load(Map.of(), o));
        consumer = TestConsumers.fromEarliest(bootstrap, List.of(completedTopic, failedTopic, changesTopic, dlqTopic));
        logs = new AllLogs();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext camel = super.createCamelContext();
        // what PipelineApp.camelProperties gives the routes
        Properties p = new Properties();
        p.setProperty("poll.interval-ms", Long.toString(config.pollInterval().toMillis()));
        p.setProperty("topic.completed", completedTopic);
        p.setProperty("topic.failed", failedTopic);
        p.setProperty("topic.changes", changesTopic);
        p.setProperty("topic.dlq", dlqTopic);
        p.setProperty("topic.heartbeat", "heartbeat-" + java.util.UUID.randomUUID());
        camel.getPropertiesComponent().setOverrideProperties(p);
        // the producer settings of application.properties (camel.component.kafka.*), with timeouts short enough
        // for a test: a record Kafka does not acknowledge fails after 3 s instead of 30 s
        KafkaComponent kafkaComponent = new KafkaComponent();
        KafkaConfiguration k = new KafkaConfiguration();
        k.setBrokers(config.kafkaBootstrapServers());
        k.setEnableIdempotence(true);
        k.setRequestRequiredAcks("all");
        k.setLingerMs(5);
        k.setRequestTimeoutMs(1500);
        k.setDeliveryTimeoutMs(3000);
        k.setMaxBlockMs(3000);
        kafkaComponent.setConfiguration(k);
        camel.addComponent("kafka", kafkaComponent);

        ems = PipelineBeans.bind(camel, config, store, Clock.systemUTC());
        PluginHelper.getRoutesLoader(camel).loadRoutes(projectRoutes(camel));
        return camel;
    }

    /** Every YAML file of the project's {@code routes/} folder, as the application loads them. */
    private static List<Resource> projectRoutes(CamelContext camel) throws Exception {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            List<Resource> out = new ArrayList<>();
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                out.add(ResourceHelper.resolveMandatoryResource(camel, "file:" + f.toAbsolutePath()));
            }
            assertThat(out).as("routes/*.yaml").isNotEmpty();
            return out;
        }
    }

    @AfterEach
    void closeTestResources() throws Exception {
        // logs out of EM while the context (and its HTTP component) still runs; CamelTestSupport stops it after this
        if (ems != null) {
            ems.close();
        }
        if (logs != null) {
            logs.close();
        }
        if (consumer != null) {
            consumer.close();
        }
        if (em != null) {
            em.close();
        }
        if (outageKafka != null) {
            outageKafka.close();
        }
        store.close();
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    // --- the behaviours -------------------------------------------------------------------------

    @Test
    void givenPageWithOneUnreadableSession_whenCycleRuns_thenThatSessionAloneIsParked_andTheOthersArePublishedCommitted_andWatermarkMoves() {
        Instant now = Instant.now();
        SimSession a = running("A", now.minus(Duration.ofMinutes(3)));
        SimSession bad = running("B", now.minus(Duration.ofMinutes(2)));
        put(a, bad);
        em.faults().corruptSessions(List.of(bad.uid()));

        Cycle cycle = nextCycle();
        Exchange done = runCycle(cycle);

        assertThat(done.getProperty(Exchange.EXCEPTION_CAUGHT)).as("the cycle met no failure").isNull();
        List<ConsumerRecord<String, byte[]>> parked = awaitRecords(dlqTopic, rs -> !rs.isEmpty());
        assertThat(parked).singleElement().satisfies(r -> {
            assertThat(header(r, DeadLetters.H_SESSION_UID)).isEqualTo(bad.uid());
            assertThat(header(r, DeadLetters.H_ERROR_KIND)).isEqualTo(DeadLetters.KIND_SESSION);
            assertThat(header(r, DeadLetters.H_EM)).isEqualTo(EM);
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).contains(bad.uid()).doesNotContain(a.uid());
        });
        awaitRecords(changesTopic, rs -> keys(rs).contains(a.uid()));
        assertThat(keys(on(changesTopic))).containsExactly(a.uid());

        assertThat(store.get(EM, a.uid())).get().extracting(SessionSnapshot::state).isEqualTo("Working");
        assertThat(store.get(EM, bad.uid())).as("the parked session is not tracked").isEmpty();
        assertThat(cycle.windowKept()).isFalse();
        assertThat(store.watermark(EM, TYPE)).contains(cycle.start());
        assertThat(cycleStoppedLines()).isEmpty();
    }

    @Test
    void givenPageUnreadableAsAWhole_whenCycleRuns_thenRawBodyParked_laterPagesAndReReadsStillHappen_andWatermarkStays() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant previousWatermark = now.minus(Duration.ofMinutes(1));
        store.commitWatermark(EM, TYPE, previousWatermark);
        // five sessions in the window (pages of 2: [s1 s2] [s3 s4] [s5]) and one tracked running session that the
        // query leaves out (its job is excluded) and that ended since it was last seen
        List<SimSession> s = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            s.add(running("S" + i, now.minus(Duration.ofMinutes(10 - i))));
        }
        SimSession hidden = running(HIDDEN_JOB, now.minus(Duration.ofHours(2)));
        put(s.toArray(SimSession[]::new));
        put(hidden);
        store.commit(EM, List.of(trackedRunning(hidden)));
        em.estate().update(hidden.getId(), x -> x.setState("Stopped").setResult("Success").setEndTime(now).setProgress(100));
        em.faults().passNext(1).malformedNext(1); // page 1 fine, page 2 unreadable

        Cycle cycle = nextCycle();
        Exchange done = runCycle(cycle);

        assertThat(done.getProperty(Exchange.EXCEPTION_CAUGHT)).as("a parked page is no failure").isNull();
        assertThat(em.requestsTo("/api/query")).as("pages 1 to 3 asked for").isEqualTo(3);
        assertThat(cycle.pagesRead()).as("pages read: 1 and 3").isEqualTo(2);
        List<ConsumerRecord<String, byte[]>> parked = awaitRecords(dlqTopic, rs -> !rs.isEmpty());
        assertThat(parked).singleElement().satisfies(r -> {
            assertThat(header(r, DeadLetters.H_ERROR_KIND)).isEqualTo("MALFORMED");
            assertThat(header(r, DeadLetters.H_SESSION_UID)).isNull();
            assertThat(header(r, DeadLetters.H_REQUEST)).startsWith("GET ").contains("/query").contains("page=2");
            String body = new String(r.value(), StandardCharsets.UTF_8);
            assertThat(body).as("the response as EM sent it").contains("<Broken></Mismatched>")
                    .contains(s.get(2).uid()).contains(s.get(3).uid());
        });
        // pages 1 and 3 and the re-read went on
        awaitRecords(changesTopic, rs -> keys(rs).containsAll(uids(s.get(0), s.get(1), s.get(4), hidden)));
        awaitRecords(completedTopic, rs -> keys(rs).contains(hidden.uid()));
        assertThat(keys(on(changesTopic))).doesNotContain(s.get(2).uid(), s.get(3).uid());
        for (SimSession read : List.of(s.get(0), s.get(1), s.get(4))) {
            assertThat(store.get(EM, read.uid())).as(read.getJobName()).isPresent();
        }
        assertThat(store.get(EM, s.get(2).uid())).isEmpty();
        assertThat(store.get(EM, s.get(3).uid())).isEmpty();
        assertThat(store.get(EM, hidden.uid())).get().satisfies(h -> {
            assertThat(h.state()).isEqualTo("Stopped");
            assertThat(h.terminalPublished()).isTrue();
        });

        assertThat(cycle.windowKept()).isTrue();
        assertThat(store.watermark(EM, TYPE)).as("the window is read again").contains(previousWatermark);
        assertThat(cycleStoppedLines()).isEmpty();
    }

    @Test
    void givenEmAnswers503OnPage2AfterRetries_whenCycleRuns_thenCycleStopsWithOneWarn_page1Committed_noWatermark_andNextCycleStartsAtPage1() {
        Instant now = Instant.now();
        List<SimSession> s = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            s.add(running("S" + i, now.minus(Duration.ofMinutes(10 - i))));
        }
        put(s.toArray(SimSession[]::new));
        em.faults().passNext(1).failNext(503, 2); // page 1 fine, page 2: 503, and 503 again on its one retry

        Cycle first = nextCycle();
        Exchange done = runCycle(first);

        assertThat(done.getException()).as("handled by cycle-errors").isNull();
        assertThat(done.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)).isInstanceOf(dev.vse.em.EmRequestException.class);
        assertThat(em.requestsTo("/api/query")).as("page 1, page 2 and its retry; page 3 never asked for").isEqualTo(3);
        assertThat(first.pagesRead()).isEqualTo(1);
        assertThat(cycleStoppedLines()).singleElement().satisfies(l -> {
            assertThat(l.level()).isEqualTo("WARN");
            assertThat(l.message()).contains("503");
        });
        assertThat(store.get(EM, s.get(0).uid())).isPresent();
        assertThat(store.get(EM, s.get(1).uid())).isPresent();
        for (SimSession later : s.subList(2, 5)) {
            assertThat(store.get(EM, later.uid())).as(later.getJobName()).isEmpty();
        }
        assertThat(store.watermark(EM, TYPE)).isEmpty();
        awaitRecords(changesTopic, rs -> keys(rs).containsAll(uids(s.get(0), s.get(1))));
        Awaitility.await().during(QUIET).atMost(QUIET.plusSeconds(5))
                .until(() -> Set.copyOf(keys(on(changesTopic))).equals(uids(s.get(0), s.get(1))));
        assertThat(on(dlqTopic)).isEmpty();

        // EM is back; S1 ends meanwhile: the next cycle reads from page 1 again and sees it
        em.estate().update(s.get(0).getId(), x -> x.setState("Stopped").setResult("Success").setEndTime(Instant.now()).setProgress(100));
        Cycle second = nextCycle();
        runCycle(second);

        assertThat(second.pagesRead()).isEqualTo(3);
        assertThat(em.requestsTo("/api/query")).isEqualTo(6);
        awaitRecords(completedTopic, rs -> keys(rs).contains(s.get(0).uid()));
        awaitRecords(changesTopic, rs -> keys(rs).containsAll(uids(s.toArray(SimSession[]::new))));
        for (SimSession each : s) {
            assertThat(store.get(EM, each.uid())).as(each.getJobName()).isPresent();
        }
        assertThat(store.get(EM, s.get(0).uid())).get().extracting(SessionSnapshot::state).isEqualTo("Stopped");
        assertThat(store.watermark(EM, TYPE)).contains(second.start());
        assertThat(cycleStoppedLines()).hasSize(1);
    }

    @Test
    void givenKafkaNotAcknowledging_whenCycleRuns_thenNothingCommitted_noWatermark_cycleStops_andWhenKafkaIsBackTheNextCyclePublishesAndCommits() {
        // this test's context publishes to a broker of its own (see doPreSetup), which it stops: a real outage
        assertThat(outageKafka).isNotNull();
        Instant now = Instant.now();
        SimSession a = running("A", now.minus(Duration.ofMinutes(3)));
        SimSession b = running("B", now.minus(Duration.ofMinutes(2)));
        SimSession c = running("C", now.minus(Duration.ofMinutes(1)));
        put(a, b, c);
        outageKafka.stop();

        Cycle first = nextCycle();
        Exchange done = runCycle(first);

        assertThat(done.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)).as("Kafka's silence stopped the cycle")
                .isInstanceOf(org.apache.kafka.common.KafkaException.class);
        // page 1 only is processed; page 2 may have been asked for ahead while page 1 was published, and is discarded
        assertThat(first.pagesRead()).as("page 1 only: nothing is processed after the failure").isEqualTo(1);
        assertThat(em.requestsTo("/api/query")).as("at most one page ahead").isBetween(1L, 2L);
        assertThat(cycleStoppedLines()).singleElement().satisfies(l -> assertThat(l.level()).isEqualTo("WARN"));
        for (SimSession x : List.of(a, b, c)) {
            assertThat(store.get(EM, x.uid())).as(x.getJobName()).isEmpty();
        }
        assertThat(store.watermark(EM, TYPE)).isEmpty();
        assertThat(first.eventsPublished()).isZero();

        // Kafka is back on the same address
        outageKafka.start();
        Cycle second = nextCycle();
        Exchange again = runCycle(second);

        assertThat(again.getProperty(Exchange.EXCEPTION_CAUGHT)).isNull();
        awaitRecords(changesTopic, rs -> keys(rs).containsAll(uids(a, b, c)));
        for (SimSession x : List.of(a, b, c)) {
            assertThat(store.get(EM, x.uid())).as(x.getJobName()).isPresent();
        }
        assertThat(store.watermark(EM, TYPE)).contains(second.start());
        assertThat(second.eventsPublished()).isEqualTo(3);
        assertThat(cycleStoppedLines()).hasSize(1);
    }

    // --- helpers --------------------------------------------------------------------------------

    private Cycle nextCycle() {
        List<Cycle> cycles = context.getRegistry().lookupByNameAndType("pollPlanner", PollPlanner.class).cycles(EM);
        assertThat(cycles).singleElement().satisfies(c -> assertThat(c.kind()).isEqualTo(Cycle.Kind.REGULAR));
        return cycles.get(0);
    }

    private Exchange runCycle(Cycle cycle) {
        return template.send("direct:poll-cycle", ex -> ex.getMessage().setBody(cycle));
    }

    private List<AllLogs.Line> cycleStoppedLines() {
        return logs.lines().stream().filter(l -> l.logger().equals(CycleCloser.class.getName()))
                .filter(l -> l.message().contains("cycle stopped")).toList();
    }

    private static SimSession running(String job, Instant created) {
        return new SimSession(TYPE, UUID.randomUUID().toString(), UUID.nameUUIDFromBytes(job.getBytes()).toString(),
                job, "Backup", created).setState("Working").setResult("None").setProgress(10);
    }

    /** The snapshot a previous cycle would have left for a running session. */
    private SessionSnapshot trackedRunning(SimSession s) {
        return new SessionSnapshot(EM, s.uid(), TYPE, em.baseUrl() + "/backupSessions/" + s.getId(), s.jobUid(),
                s.getJobName(), s.getJobType(), null, s.getCreationTime(), null, "Working", "None", 10, false, false,
                s.getCreationTime());
    }

    private void put(SimSession... sessions) {
        for (SimSession s : sessions) {
            em.estate().put(s);
        }
    }

    private List<ConsumerRecord<String, byte[]>> on(String topic) {
        consumer.poll(Duration.ofMillis(100)).forEach(received::add);
        return received.stream().filter(r -> r.topic().equals(topic)).toList();
    }

    private List<ConsumerRecord<String, byte[]>> awaitRecords(String topic,
                                                             java.util.function.Predicate<List<ConsumerRecord<String, byte[]>>> condition) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> condition.test(on(topic)));
        return on(topic);
    }

    private static Set<String> uids(SimSession... sessions) {
        return Stream.of(sessions).map(SimSession::uid).collect(Collectors.toSet());
    }

    private static List<String> keys(Collection<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(ConsumerRecord::key).toList();
    }
}

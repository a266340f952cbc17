package dev.vse.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.model.EmXml;
import dev.vse.testkit.PipelineHarness;
import dev.vse.em.EmRequestException;
import dev.vse.em.FailureKind;
import dev.vse.model.MalformedXmlException;
import dev.vse.model.SessionPage;
import dev.vse.pipeline.Cycle;
import dev.vse.pipeline.DeadLetters;
import dev.vse.pipeline.DetectedPage;
import dev.vse.pipeline.FetchedPage;
import dev.vse.pipeline.PageFetcher;
import dev.vse.pipeline.PollPlanner;
import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.SimSession;
import dev.vse.simulator.SimulatorOptions;
import dev.vse.testkit.EmbeddedKafka;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing of EM bodies through the real {@code direct:process-page} route of a running PipelineApp
 * (real JAXB parsing, change detection, file state store, Kafka publishing, DLQ). Every input must end
 * either parsed (records or nothing) or parked in the DLQ: no exception may escape the routes and no input
 * may silently stop a cycle (which would block the window forever: a poison page).
 *
 * <p>Corpus: the EM samples of {@code src/test/resources/samples/} and query pages / entities produced by
 * the simulator. Defaults: 10,000 inputs, a random seed (printed). Reproduce or run longer:
 * <pre>
 * mvn -o verify -Dit.test=FuzzPipelineIT -Dfuzz.inputs=1000000 -Dfuzz.seed=42 \
 *     -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
 * </pre>
 */
class FuzzPipelineIT {
    private static final int INPUTS = Integer.getInteger("fuzz.inputs", 10_000);
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    /** Largest "huge value" inserted (chars); above Kafka's default 1 MiB request limit on purpose. */
    private static final int MAX_HUGE = Integer.getInteger("fuzz.max-huge", 1_200_000);

    private static EmbeddedKafka kafka;

    @TempDir
    static Path state;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void givenMutatedEmBodies_whenProcessedByTheRealRoute_thenEachIsParsedOrParked_andNothingEscapes() throws Exception {
        System.out.printf("[FuzzPipelineIT] seed=%d inputs=%d (reproduce with -Dfuzz.seed=%d -Dfuzz.inputs=%d)%n",
                SEED, INPUTS, SEED, INPUTS);
        Map<String, byte[]> corpus = corpus();
        List<String> names = new ArrayList<>(corpus.keySet());
        try (EmSimulator em = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"));
             PipelineHarness h = new PipelineHarness(kafka.bootstrapServers(), state, em.baseUrl())) {
            // polling is not under test here (the estate is empty anyway): one early cycle, then an hour
            h.with("poll.interval", "1h").with("camel.component.kafka.linger-ms", "0").start();
            PollPlanner planner = h.app().context().getRegistry().lookupByNameAndType("pollPlanner", PollPlanner.class);
            ProducerTemplate template = h.app().context().createProducerTemplate();
            XmlMutator mutator = new XmlMutator(SEED, MAX_HUGE);

            long parsed = 0;
            long parked = 0;
            long parkedSessions = 0;
            long parsedWithSessions = 0;
            long published = 0;
            long maxNanos = 0;
            List<String> escaped = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < INPUTS; i++) {
                String seedName = names.get(mutator.random().nextInt(names.size()));
                byte[] input = mutator.mutate(corpus.get(seedName));
                FetchedPage page = fetchedPage(seedName, input);
                Cycle cycle = planner.cycles("em01").get(0);
                long t0 = System.nanoTime();
                Exchange ex = template.send("direct:process-page", e -> {
                    e.setProperty(PageFetcher.CYCLE, cycle);
                    e.getIn().setBody(page);
                });
                maxNanos = Math.max(maxNanos, System.nanoTime() - t0);
                DetectedPage detected = ex.getProperty(DetectedPage.PROPERTY, DetectedPage.class);
                if (ex.getException() != null || (!page.readable() && !cycle.windowKept())) {
                    escaped.add("#" + i + " from " + seedName + ": "
                            + (ex.getException() != null ? ex.getException() : "unreadable but not parked")
                            + " input head: " + head(input));
                    if (escaped.size() >= 20) {
                        break;
                    }
                } else if (cycle.windowKept()) {
                    parked++;
                } else {
                    parsed++;
                    parsedWithSessions += page.sessions().isEmpty() ? 0 : 1;
                    parkedSessions += detected.parked().size();
                }
                published += cycle.eventsPublished();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            Map<String, Long> onKafka = countRecords(h, parked + parkedSessions, published);
            System.out.printf("[FuzzPipelineIT] %d inputs in %d ms (slowest %d ms): parsed %d (%d with sessions, %d sessions"
                            + " parked alone), parked whole %d, escaped %d; events published %d; on Kafka %s%n", INPUTS,
                    took.toMillis(), maxNanos / 1_000_000, parsed, parsedWithSessions, parkedSessions, parked, escaped.size(),
                    published, onKafka);
            StringBuilder ops = new StringBuilder();
            for (XmlMutator.Op op : XmlMutator.Op.values()) {
                ops.append(op).append('=').append(mutator.count(op)).append(' ');
            }
            System.out.println("[FuzzPipelineIT] mutations applied: " + ops);

            assertThat(escaped).as("inputs neither parsed nor parked (seed %d)", SEED).isEmpty();
            assertThat(parsed + parked).isEqualTo(INPUTS);
            assertThat(onKafka.get("dlq")).as("one DLQ record per input parked whole and per session parked alone")
                    .isEqualTo(parked + parkedSessions);
            assertThat(parkedSessions).as("the fuzzer must also break single sessions").isPositive();
            assertThat(onKafka.get("events")).as("every published event is on Kafka (records lost = 0)").isEqualTo(published);
            assertThat(parked).as("the fuzzer must break things").isPositive();
            assertThat(parsedWithSessions).as("and must also let things through").isPositive();
            assertThat(h.app().context().getStatus().isStarted()).isTrue();
        }
    }

    /**
     * Guards the two poison pages the fuzzer found: a session whose record exceeds Kafka's 1 MiB limit made Kafka
     * refuse the page on every cycle (the window never advanced), and an unreadable body above 1 MiB could not be
     * parked. Now: the giant session is parked alone (cut to fit, original size in a header) and the other session
     * of the page is published; the unreadable body is parked whole, cut to fit.
     */
    @Test
    void givenOversizedSessionAndOversizedBody_whenProcessed_thenParkedToFit_andTheOtherSessionPublished() throws Exception {
        try (EmSimulator em = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"));
             PipelineHarness h = new PipelineHarness(kafka.bootstrapServers(), state.resolve("oversize"), em.baseUrl())) {
            h.with("poll.interval", "1h").start();
            PollPlanner planner = h.app().context().getRegistry().lookupByNameAndType("pollPlanner", PollPlanner.class);
            ProducerTemplate template = h.app().context().createProducerTemplate();
            String sample = new String(corpus().get("samples/query-backupjobsession-entities.xml"), StandardCharsets.UTF_8);
            String giant = "G".repeat(1_200_000);
            byte[] oversizedSession = sample.replaceFirst("<JobName>[^<]*</JobName>", "<JobName>" + giant + "</JobName>")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] oversizedGarbage = ("<QueryResult>" + giant + giant).getBytes(StandardCharsets.UTF_8);
            for (byte[] input : List.of(oversizedSession, oversizedGarbage)) {
                Cycle cycle = planner.cycles("em01").get(0);
                Exchange ex = template.send("direct:process-page", e -> {
                    e.setProperty(PageFetcher.CYCLE, cycle);
                    e.getIn().setBody(fetchedPage("samples/query-backupjobsession-entities.xml", input));
                });
                assertThat(ex.getException()).as("cycle stopped: Kafka refused something").isNull();
                assertThat(cycle.windowKept()).as("only the unreadable body keeps the window").isEqualTo(input == oversizedGarbage);
            }
            var dlq = h.await(h.dlq, rs -> rs.size() >= 2);
            assertThat(dlq).allSatisfy(r -> {
                assertThat(r.value()).hasSize(DeadLetters.MAX_DLQ_BODY_BYTES);
                assertThat(PipelineHarness.header(r, "vse.body.truncated")).isEqualTo("true");
                assertThat(PipelineHarness.header(r, "vse.error")).isNotBlank();
            });
            assertThat(Integer.parseInt(PipelineHarness.header(dlq.get(0), "vse.body.size"))).isGreaterThan(1_200_000);
            assertThat(PipelineHarness.header(dlq.get(0), "vse.error")).contains("more than Kafka takes");
            assertThat(PipelineHarness.header(dlq.get(0), "vse.error.kind")).isEqualTo(DeadLetters.KIND_SESSION);
            assertThat(PipelineHarness.header(dlq.get(1), "vse.body.size")).isEqualTo(Integer.toString(oversizedGarbage.length));
            // the normal session of that page was published (the sample's second session)
            h.await(h.changes, rs -> rs.stream().anyMatch(r -> r.key().endsWith("1f038a6b-7968-4052-be97-3ed6b7aaf6a3")));
        }
    }

    /** What PageFetcher hands to the route: a page read session by session, or an unreadable one (raw bytes kept). */
    static FetchedPage fetchedPage(String seedName, byte[] input) {
        String request = "GET http://fuzz/api/" + seedName;
        try {
            SessionPage p = EmXml.readSessions(input);
            return FetchedPage.page(request, input, p.sessions(), p.rejected());
        } catch (MalformedXmlException e) {
            return FetchedPage.unreadablePage(new EmRequestException(FailureKind.MALFORMED, "em01", request, 200, input,
                    e.getMessage(), e));
        }
    }

    /** Waits until the DLQ holds {@code parked} records and the event topics {@code published}; returns the counts. */
    private static Map<String, Long> countRecords(PipelineHarness h, long parked, long published) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "fuzz-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(4 * 1024 * 1024));
        Map<String, Long> counts = new LinkedHashMap<>(Map.of("dlq", 0L, "events", 0L));
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(h.dlq, h.changes, h.completed, h.failed));
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ZERO).until(() -> {
                c.poll(Duration.ofMillis(200)).forEach(r -> counts.merge(r.topic().equals(h.dlq) ? "dlq" : "events", 1L, Long::sum));
                return counts.get("dlq") >= parked && counts.get("events") >= published;
            });
            // and nothing more trickles in
            c.poll(Duration.ofMillis(500)).forEach(r -> counts.merge(r.topic().equals(h.dlq) ? "dlq" : "events", 1L, Long::sum));
        }
        return counts;
    }

    /** The real EM samples plus simulator-produced query pages and entities. */
    static Map<String, byte[]> corpus() throws Exception {
        Map<String, byte[]> c = new LinkedHashMap<>();
        for (String s : List.of("query-backupjobsession-entities.xml", "backupSession-entity.xml", "replicaSession-entity.xml",
                "backupSessions-list.xml", "logonSession.xml")) {
            try (InputStream in = FuzzPipelineIT.class.getResourceAsStream("/samples/" + s)) {
                c.put("samples/" + s, in.readAllBytes());
            }
        }
        // the query sample twice more: it is the one that matters most
        c.put("samples/query-backupjobsession-entities.xml#2", c.get("samples/query-backupjobsession-entities.xml"));
        c.put("samples/query-backupjobsession-entities.xml#3", c.get("samples/query-backupjobsession-entities.xml"));
        try (EmSimulator sim = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"))) {
            Instant now = Instant.now();
            String[][] states = {{"Working", "None"}, {"Stopped", "Success"}, {"Stopped", "Failed"}, {"Stopped", "Warning"},
                {"Starting", "None"}, {"Postprocessing", "None"}};
            List<SimSession> sessions = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String type = i % 4 == 3 ? SimSession.REPLICA : SimSession.BACKUP;
                SimSession s = new SimSession(type, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                        "Job " + i + " <&> \u00e9", type.equals(SimSession.REPLICA) ? "Replica" : "Backup",
                        now.minus(Duration.ofMinutes(60 - i))).setState(states[i % states.length][0])
                        .setResult(states[i % states.length][1]).setProgress(i * 10);
                if ("Stopped".equals(s.getState())) {
                    s.setEndTime(now.minus(Duration.ofMinutes(10 - i)));
                }
                sessions.add(s);
                sim.estate().put(s);
            }
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<byte[]> logon = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/sessionMngr/?v=latest"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
            String token = logon.headers().firstValue("X-RestSvcSessionId").orElseThrow();
            c.put("sim/query-backup-page1", get(http, sim, token, "/query?type=BackupJobSession&format=Entities&pageSize=3&page=1"));
            c.put("sim/query-backup-page2", get(http, sim, token, "/query?type=BackupJobSession&format=Entities&pageSize=3&page=2"));
            c.put("sim/query-replica", get(http, sim, token, "/query?type=ReplicaJobSession&format=Entities"));
            c.put("sim/backupSession-entity", get(http, sim, token, "/backupSessions/" + sessions.get(1).getId() + "?format=Entity"));
            c.put("sim/replicaSession-entity", get(http, sim, token, "/replicaSessions/" + sessions.get(3).getId() + "?format=Entity"));
        }
        return c;
    }

    private static byte[] get(HttpClient http, EmSimulator sim, String token, String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).header("X-RestSvcSessionId", token)
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " -> " + r.statusCode());
        }
        return r.body();
    }

    private static String head(byte[] input) {
        String s = new String(input, 0, Math.min(input.length, 300), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        return s + (input.length > 300 ? "... (" + input.length + " bytes)" : "");
    }
}

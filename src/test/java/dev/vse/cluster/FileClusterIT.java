package dev.vse.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.testkit.EmFleet;
import dev.vse.testkit.EmbeddedKafka;
import dev.vse.testkit.PipelineHarness;
import dev.vse.testkit.PipelineProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CLUSTER_SERVICE=file with real processes: three pipeline JVMs share CLUSTER_FILE_ROOT and STATE_DIR (file state
 * store) and poll six EM simulators over HTTP. Each instance logs on with its own spelling of the user name (the
 * simulator compares it ignoring case), so every logon and every request an EM sees is attributed to one instance.
 *
 * <p>Checked: after start-up each EM is polled by exactly one instance and the EMs spread 2/2/2; over the whole run
 * an EM's requests change hands only at leadership changes (never two instances polling it by turns); after
 * {@code kill -9} of an instance, each of its EMs is polled by a survivor within 2 × POLL_INTERVAL + CLUSTER_LEASE
 * (the worst is printed), the EMs spread 3/3, and again 2/2/2 once a third instance joins; then a second kill.
 */
class FileClusterIT {
    static final int EMS = 6;
    static final Duration POLL = Duration.ofSeconds(3);
    static final Duration LEASE = Duration.ofSeconds(6);

    @TempDir
    Path dir;
    EmbeddedKafka kafka;
    EmFleet fleet;
    final Map<Integer, PipelineProcess> instances = new TreeMap<>();
    final String suffix = UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void start() throws IOException {
        kafka = EmbeddedKafka.start();
        fleet = EmFleet.start(EMS);
    }

    @AfterEach
    void stop() throws Exception {
        for (PipelineProcess p : instances.values()) {
            p.close();
        }
        if (fleet != null) {
            fleet.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void threeInstancesSixEms_eachEmPolledByOneInstance_spreadEvenly_killedOwnerTakenOverWithinTwoPollsPlusLease()
            throws Exception {
        Path log = Path.of("target", "file-cluster-" + suffix + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        for (int i = 0; i < 3; i++) {
            instances.put(i, start(i, log));
        }
        Map<Integer, Integer> spread = awaitSpread(List.of(0, 1, 2), 2, Duration.ofSeconds(90));
        System.out.println("FileClusterIT: spread over 3 instances " + spread);
        int[] health = healthOfAStandby();
        System.out.println("FileClusterIT: instance " + health[0] + " /observe/health/ready " + health[1] + " with EMs on standby");

        List<Long> takeovers = new ArrayList<>();
        // kill -9 the owner of EM 0, then let a new instance (3) join, then kill -9 the owner of EM 0 again
        takeovers.addAll(killOwnerOf(0, List.of(0, 1, 2)));
        List<Integer> alive = new ArrayList<>(instances.keySet().stream().filter(k -> instances.get(k).isAlive()).toList());
        System.out.println("FileClusterIT: spread over 2 instances " + awaitSpread(alive, 3, Duration.ofSeconds(60)));
        instances.put(3, start(3, log));
        alive.add(3);
        System.out.println("FileClusterIT: spread after instance 3 joined " + awaitSpread(alive, 2, Duration.ofSeconds(60)));
        takeovers.addAll(killOwnerOf(0, alive));

        long worst = takeovers.stream().mapToLong(Long::longValue).max().orElseThrow();
        Duration budget = POLL.multipliedBy(2).plus(LEASE);
        System.out.println("FileClusterIT: take-over times after kill -9 (ms) " + takeovers + ", worst " + worst
                + " ms, budget 2 x POLL_INTERVAL + CLUSTER_LEASE = " + budget.toMillis() + " ms");
        assertThat(worst).as("worst take-over, see %s", log).isLessThanOrEqualTo(budget.toMillis());

        // over the whole run: an EM's requests change hands only at leadership changes
        Map<String, Long> taken = EmFleet.leadershipsTaken(List.copyOf(instances.values()));
        for (int e = 0; e < EMS; e++) {
            for (EmFleet.Seen x : fleet.seen(e)) {
                assertThat(x.instance()).as("EM %d request by a known instance", e).isGreaterThanOrEqualTo(0);
            }
            int switches = fleet.handOvers(e);
            String row = "FileClusterIT: " + fleet.perInstance(e);
            System.out.println(row + "; hand-overs " + switches + ", leaderships taken " + taken.getOrDefault(emId(e), 0L));
            assertThat((long) switches).as("EM %s changed hands only when a leadership was taken; see %s", emId(e), log)
                    .isLessThanOrEqualTo(taken.getOrDefault(emId(e), 0L) - 1);
        }
    }

    /** Kills the instance that polls EM {@code e} now; returns, per EM it polled, the ms until a survivor polled it. */
    private List<Long> killOwnerOf(int e, List<Integer> among) throws Exception {
        Map<Integer, Integer> owners = fleet.recentOwners(Duration.ofSeconds(6));
        int victim = owners.get(e);
        List<Integer> its = owners.entrySet().stream().filter(x -> x.getValue() == victim).map(Map.Entry::getKey).toList();
        long killedAt = System.nanoTime();
        instances.get(victim).kill();
        System.out.println("FileClusterIT: kill -9 instance " + victim + " (pid " + instances.get(victim).pid() + "), it polled EMs "
                + its.stream().map(FileClusterIT::emId).toList());
        List<Long> times = new ArrayList<>();
        for (int em : its) {
            times.add(fleet.awaitTakeOver(em, victim, killedAt, Duration.ofSeconds(60)));
        }
        return times;
    }

    private Map<Integer, Integer> awaitSpread(List<Integer> alive, int each, Duration atMost) {
        return fleet.awaitSpread(alive, each, POLL.multipliedBy(3), atMost);
    }

    /** {instance, HTTP status} of /observe/health/ready of a live instance, which has 4 EMs on standby. */
    private int[] healthOfAStandby() throws Exception {
        Map.Entry<Integer, PipelineProcess> any = instances.entrySet().iterator().next();
        int port = ports.get(any.getKey());
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/observe/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("ready with standby EMs: %s", r.body()).isEqualTo(200);
        return new int[] {any.getKey(), r.statusCode()};
    }

    final Map<Integer, Integer> ports = new TreeMap<>();

    private PipelineProcess start(int i, Path log) throws IOException {
        Map<String, String> o = new LinkedHashMap<>(PipelineHarness.overrides(kafka.bootstrapServers(), dir.resolve("state"),
                fleet.em(0).baseUrl(), "completed-" + suffix, "failed-" + suffix, "changes-" + suffix, "dlq-" + suffix));
        fleet.configure(o, i);
        o.put("poll.interval", POLL.toSeconds() + "s");
        o.put("cluster.service", "file");
        o.put("cluster.file-root", dir.resolve("cluster").toString());
        o.put("cluster.lease", LEASE.toSeconds() + "s");
        o.put("cluster.instance-id", "vse-" + i);
        o.put("camel.main.shutdown-timeout", "5");
        int port = freePort();
        ports.put(i, port);
        o.put("camel.management.port", Integer.toString(port));
        return PipelineProcess.start(o, log, "instance " + i);
    }

    static String emId(int e) {
        return EmFleet.emId(e);
    }

    static int freePort() throws IOException {
        return EmFleet.freePort();
    }
}

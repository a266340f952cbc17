package dev.vse.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.testkit.EmFleet;
import dev.vse.testkit.EmbeddedKafka;
import dev.vse.testkit.PipelineHarness;
import dev.vse.testkit.PipelineProcess;
import dev.vse.testkit.ReadCommittedVerdict;
import dev.vse.testkit.SessionScenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two high-availability features together, with real processes: {@code CLUSTER_SERVICE=file} (one poller per
 * EM, spreading, take-over) and {@code STATE_STORE=kafka} (state in a compacted topic, one transaction per page,
 * a transactional producer per EM). Three pipeline JVMs (the fourth in the fencing scenario) poll six EM simulators
 * over HTTP while the simulators' sessions start and end (some fail); each instance logs on with its own spelling of
 * the user name, so every request is attributed to one instance ({@link EmFleet}). One in-JVM broker for the class.
 *
 * <ol>
 *   <li>kill -9 the owner of an EM at random points, ten times, restarting it: every take-over within
 *       2 × POLL_INTERVAL + CLUSTER_LEASE, an EM's requests change hands only at leadership changes, and a
 *       read_committed consumer finds every completed/failed record exactly once;</li>
 *   <li>SIGSTOP the owner of an EM for longer than the lease: its file locks stay with the frozen process, nobody
 *       takes its EMs over meanwhile; after SIGCONT one poller per EM again, nothing doubled;</li>
 *   <li>a fourth instance with {@code CLUSTER_SERVICE=none} on the same EMs and state: fencing, one side gives the
 *       EMs up (log line), the cluster's leaders take them back within a lease and fence the intruder out; one
 *       poller per EM, nothing doubled.</li>
 * </ol>
 */
class HighAvailabilityIT {
    static final int EMS = 6;
    static final int KILLS = 10;
    static final Duration POLL = Duration.ofSeconds(3);
    static final Duration LEASE = Duration.ofSeconds(6);
    static final Duration BUDGET = POLL.multipliedBy(2).plus(LEASE);
    static final Duration WINDOW = POLL.multipliedBy(3);

    static EmbeddedKafka kafka;

    @TempDir
    Path dir;
    EmFleet fleet;
    Path log;
    final String suffix = UUID.randomUUID().toString().substring(0, 8);
    final String completed = "completed-" + suffix;
    final String failed = "failed-" + suffix;
    final String changes = "changes-" + suffix;
    /** Slot → the instance running in it now (a restart reuses the slot and its user name). */
    final Map<Integer, PipelineProcess> instances = new TreeMap<>();
    /** Every process started, the killed ones too (their log lines are counted). */
    final List<PipelineProcess> all = new ArrayList<>();
    final List<SessionScenario> scenarios = new ArrayList<>();
    final List<Thread> drivers = new ArrayList<>();

    @BeforeAll
    static void broker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @BeforeEach
    void start() throws IOException {
        fleet = EmFleet.start(EMS);
        log = Path.of("target", "high-availability-" + suffix + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
    }

    @AfterEach
    void stop() throws Exception {
        finishScenarios();
        for (PipelineProcess p : all) {
            if (p.isAlive()) {
                signal("CONT", p);
            }
            p.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    // --- 1. kill -9 ------------------------------------------------------------------------------

    @Test
    void givenThreeInstances_whenTheOwnerOfAnEmIsKilledAtRandomPoints_thenTakenOverWithinBudget_andEveryTerminalRecordOnce()
            throws Exception {
        long seed = Long.getLong("ha.seed", System.nanoTime());
        System.out.println("HighAvailabilityIT kill seed=" + seed + ", log " + log);
        Random rnd = new Random(seed);
        long t0 = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            startInstance(i, "file");
        }
        Map<Integer, Integer> spread = fleet.awaitSpread(List.of(0, 1, 2), 2, WINDOW, Duration.ofSeconds(120));
        System.out.println("HighAvailabilityIT: spread over 3 instances " + spread);
        startScenarios(seed);

        List<Long> takeovers = new ArrayList<>();
        for (int k = 1; k <= KILLS; k++) {
            Thread.sleep(300 + rnd.nextInt(3700)); // a random point: mid-cycle, mid-transaction, between cycles
            int victim = fleet.lastPoller(0);
            List<Integer> its = new ArrayList<>();
            for (int e = 0; e < EMS; e++) {
                if (fleet.lastPoller(e) == victim) {
                    its.add(e);
                }
            }
            PipelineProcess p = instances.get(victim);
            long killedAt = System.nanoTime();
            p.kill();
            List<Long> times = new ArrayList<>();
            for (int e : its) {
                times.add(fleet.awaitTakeOver(e, victim, killedAt, Duration.ofSeconds(60)));
            }
            takeovers.addAll(times);
            System.out.println("HighAvailabilityIT: kill " + k + ": kill -9 instance " + victim + " (pid " + p.pid()
                    + ") polling " + its.stream().map(EmFleet::emId).toList() + ", taken over after (ms) " + times);
            startInstance(victim, "file");
        }
        finishScenarios();
        Map<Integer, Integer> end = fleet.awaitSpread(List.of(0, 1, 2), -1, WINDOW, Duration.ofSeconds(60));
        ReadCommittedVerdict v = verdict();
        long worst = takeovers.stream().mapToLong(Long::longValue).max().orElseThrow();
        System.out.printf("HighAvailabilityIT kill: seed %d, %d kills, take-overs (ms) %s, worst %d ms (budget %d ms); "
                        + "pollers at the end %s; %s; %.0f s%n", seed, KILLS, takeovers, worst, BUDGET.toMillis(), end, v,
                (System.nanoTime() - t0) / 1e9);
        assertOnePollerAtATime();
        v.assertExactlyOnce();
        assertThat(worst).as("worst take-over, see %s", log).isLessThanOrEqualTo(BUDGET.toMillis());
        assertThat(v.expected().size()).as("sessions ended during the run").isGreaterThanOrEqualTo(100);
        assertThat(v.failedFound()).as("failed sessions during the run").isGreaterThanOrEqualTo(10);
    }

    // --- 2. SIGSTOP --------------------------------------------------------------------------------

    @Test
    void givenTheOwnerOfAnEmFrozenForLongerThanTheLease_thenNobodyTakesOver_andAfterTheThawOnePollerPerEmNothingDoubled()
            throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            startInstance(i, "file");
        }
        System.out.println("HighAvailabilityIT frozen: spread "
                + fleet.awaitSpread(List.of(0, 1, 2), 2, WINDOW, Duration.ofSeconds(120)) + ", log " + log);
        // sessions that end after the instances' first cycles (what ended before the baseline is history)
        startScenarios(System.nanoTime());
        Thread.sleep(3000);
        int victim = fleet.lastPoller(0);
        List<Integer> its = new ArrayList<>();
        for (int e = 0; e < EMS; e++) {
            if (fleet.lastPoller(e) == victim) {
                its.add(e);
            }
        }
        PipelineProcess p = instances.get(victim);
        int linesBefore = p.lineCount();
        Duration frozen = LEASE.plus(POLL.multipliedBy(2)).plusSeconds(4);
        long stoppedAt = System.nanoTime();
        signal("STOP", p);
        Thread.sleep(frozen.toMillis());
        long thawedAt = System.nanoTime();
        signal("CONT", p);
        Map<Integer, List<Integer>> during = fleet.pollersBetween(stoppedAt, thawedAt);
        Map<Integer, List<Integer>> othersOnItsEms = new TreeMap<>();
        for (int e : its) {
            othersOnItsEms.put(e, during.get(e).stream().filter(i -> i != victim).toList());
        }
        Map<Integer, Integer> settled = fleet.awaitSpread(List.of(0, 1, 2), -1, WINDOW, Duration.ofSeconds(60));
        long settledMs = (System.nanoTime() - thawedAt) / 1_000_000;
        List<String> after = p.lines().subList(linesBefore, p.lineCount()).stream()
                .filter(l -> l.contains("leadership") || l.contains("given up") || l.contains("fenced")).toList();
        finishScenarios();
        ReadCommittedVerdict v = verdict();
        System.out.printf("HighAvailabilityIT frozen: instance %d (pid %d) polling %s stopped for %d s (lease %d s); "
                        + "pollers meanwhile %s (of its EMs, others: %s); one poller per EM %d ms after the thaw: %s; "
                        + "its log after the thaw: %s; %s; %.0f s%n", victim, p.pid(),
                its.stream().map(EmFleet::emId).toList(), frozen.toSeconds(), LEASE.toSeconds(), during, othersOnItsEms,
                settledMs, settled, after, v, (System.nanoTime() - t0) / 1e9);
        assertThat(othersOnItsEms.values()).as("nobody polled the frozen owner's EMs: its file locks stay; see %s", log)
                .allSatisfy(l -> assertThat(l).isEmpty());
        assertOnePollerAtATime();
        v.assertExactlyOnce();
    }

    // --- 3. fencing ----------------------------------------------------------------------------------

    @Test
    void givenAFourthInstanceWithoutClusterService_thenFencing_oneSideGivesUp_theLeadersTakeTheEmsBack_nothingDoubled()
            throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            startInstance(i, "file");
        }
        System.out.println("HighAvailabilityIT fencing: spread "
                + fleet.awaitSpread(List.of(0, 1, 2), 2, WINDOW, Duration.ofSeconds(120)) + ", log " + log);
        // sessions that end after the instances' first cycles (what ended before the baseline is history)
        startScenarios(System.nanoTime());
        Thread.sleep(3000);
        long intruderAt = System.nanoTime();
        PipelineProcess intruder = startInstance(3, "none");
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> all.stream().anyMatch(p -> p.lines().stream().anyMatch(l -> l.contains("given up"))));
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> fleet.pollersBetween(intruderAt, Long.MAX_VALUE).values().stream().allMatch(l -> l.contains(3)));
        long intruderPolled = System.nanoTime();
        // the design: leadership decides who polls; the leader takes a fenced EM back after a lease (fencing the
        // intruder), and an instance without cluster service does not take an EM back once fenced: the leaders
        // poll again, one per EM, while the intruder still runs
        Thread.sleep(LEASE.toMillis());
        Map<Integer, Integer> settled = fleet.awaitSpread(List.of(0, 1, 2), -1, WINDOW, BUDGET.plusSeconds(30));
        long settledMs = (System.nanoTime() - intruderPolled) / 1_000_000;
        Thread.sleep(POLL.multipliedBy(2).toMillis());
        Map<Integer, Integer> stillSettled = fleet.recentOwners(WINDOW);
        Map<Integer, List<String>> givenUp = new TreeMap<>();
        instances.forEach((slot, p) -> givenUp.put(slot, p.lines().stream().filter(l -> l.contains("given up")).toList()));
        List<String> intruderSaid = intruder.lines().stream().filter(l -> l.contains("WARN") || l.contains("ERROR")).toList();
        if (givenUp.get(3).isEmpty()) {
            new ProcessBuilder("jstack", Long.toString(intruder.pid())).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start().waitFor();
        }
        intruder.stop(Duration.ofSeconds(20));
        finishScenarios();
        Map<Integer, Integer> end = fleet.awaitSpread(List.of(0, 1, 2), -1, WINDOW, Duration.ofSeconds(30));
        ReadCommittedVerdict v = verdict();
        System.out.printf("HighAvailabilityIT fencing: given-up lines per instance %s; one clustered poller per EM %d ms "
                        + "after the intruder polled every EM: %s, %s a little later, %s after it stopped; %s; %.0f s; "
                        + "the intruder's warnings: %s%n",
                givenUp.entrySet().stream().map(x -> "#" + x.getKey() + " " + x.getValue().size()).toList(), settledMs,
                settled, stillSettled, end, v, (System.nanoTime() - t0) / 1e9, intruderSaid);
        for (int e = 0; e < EMS; e++) {
            System.out.println("HighAvailabilityIT fencing: " + fleet.perInstance(e));
        }
        assertThat(givenUp.get(3)).as("the intruder gave its EMs up once fenced; see %s", log).hasSize(EMS)
                .allSatisfy(l -> assertThat(l).contains("fenced"));
        assertThat(stillSettled).as("the intruder stays fenced out").isEqualTo(settled);
        v.assertExactlyOnce();
    }

    // --- helpers ---------------------------------------------------------------------------------

    private PipelineProcess startInstance(int slot, String clusterService) throws IOException {
        Map<String, String> o = new LinkedHashMap<>(PipelineHarness.overrides(kafka.bootstrapServers(),
                dir.resolve("state-" + slot), fleet.em(0).baseUrl(), completed, failed, changes, "dlq-" + suffix));
        fleet.configure(o, slot);
        o.put("poll.interval", POLL.toSeconds() + "s");
        o.put("state.store", "kafka");
        o.put("topic.state", "state-" + suffix);
        o.put("state.kafka.transactional-id-prefix", "vse-" + suffix + "-");
        o.put("cluster.service", clusterService);
        if (!clusterService.equals("none")) {
            o.put("cluster.file-root", dir.resolve("cluster").toString());
            o.put("cluster.lease", LEASE.toSeconds() + "s");
            o.put("cluster.instance-id", "vse-" + slot);
        }
        o.put("camel.main.shutdown-timeout", "5");
        o.put("camel.management.enabled", "false");
        PipelineProcess p = PipelineProcess.start(o, log, "instance " + slot + " (CLUSTER_SERVICE=" + clusterService + ")");
        instances.put(slot, p);
        all.add(p);
        return p;
    }

    private void startScenarios(long seed) {
        for (int e = 0; e < EMS; e++) {
            SessionScenario s = new SessionScenario(new Random(seed + 1 + e), fleet.em(e));
            Thread t = new Thread(s, "scenario-" + EmFleet.emId(e));
            t.start();
            scenarios.add(s);
            drivers.add(t);
        }
    }

    private void finishScenarios() throws InterruptedException {
        scenarios.forEach(SessionScenario::finish);
        for (Thread t : drivers) {
            t.join(10_000);
        }
        scenarios.clear();
        drivers.clear();
    }

    private ReadCommittedVerdict verdict() {
        return ReadCommittedVerdict.await(kafka.bootstrapServers(), fleet.byId(), completed, failed, changes,
                Duration.ofSeconds(120));
    }

    /** Over the whole run: an EM's requests changed hands only when a leadership was taken (never by turns). */
    private void assertOnePollerAtATime() {
        Map<String, Long> taken = EmFleet.leadershipsTaken(all);
        for (int e = 0; e < EMS; e++) {
            int switches = fleet.handOvers(e);
            System.out.println("HighAvailabilityIT: " + fleet.perInstance(e) + "; hand-overs " + switches
                    + ", leaderships taken " + taken.getOrDefault(EmFleet.emId(e), 0L));
            assertThat((long) switches).as("EM %s changed hands only when a leadership was taken; see %s", EmFleet.emId(e), log)
                    .isLessThanOrEqualTo(taken.getOrDefault(EmFleet.emId(e), 0L) - 1);
        }
    }

    private static void signal(String sig, PipelineProcess p) throws IOException, InterruptedException {
        int rc = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start().waitFor();
        assertThat(rc).as("kill -%s %d", sig, p.pid()).isZero();
    }
}

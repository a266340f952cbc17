package dev.vse.testkit;

import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.SimulatorOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * EM simulators over HTTP for several pipeline instances: instance {@code i} logs on with its own spelling of the
 * user name ({@link #USERS}; the simulator compares it ignoring case), so every logon and every request an EM sees
 * is attributed to one instance. Answers who polls which EM, and when.
 */
public final class EmFleet implements AutoCloseable {
    public static final String[] USERS = {"admin", "ADMIN", "Admin", "aDMIN", "adMIN", "ADmin"};

    /** One logon or request an EM saw: when ({@link System#nanoTime}), by which instance (-1: unknown), the path. */
    public record Seen(long nanos, int instance, String path) {
        public boolean logon() {
            return path.endsWith("/sessionmngr");
        }
    }

    private final List<EmSimulator> ems = new ArrayList<>();
    private final List<List<Seen>> seen = new ArrayList<>();

    private EmFleet() { }

    public static EmFleet start(int count) throws IOException {
        EmFleet f = new EmFleet();
        for (int i = 0; i < count; i++) {
            EmSimulator em = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"));
            List<Seen> log = new CopyOnWriteArrayList<>();
            em.observe((user, path) -> log.add(new Seen(System.nanoTime(), instanceOf(user), path)));
            f.ems.add(em);
            f.seen.add(log);
        }
        return f;
    }

    public int size() {
        return ems.size();
    }

    public EmSimulator em(int e) {
        return ems.get(e);
    }

    /** EM id → simulator. */
    public Map<String, EmSimulator> byId() {
        Map<String, EmSimulator> m = new LinkedHashMap<>();
        for (int e = 0; e < ems.size(); e++) {
            m.put(emId(e), ems.get(e));
        }
        return m;
    }

    public List<Seen> seen(int e) {
        return seen.get(e);
    }

    public static String emId(int e) {
        return String.format("em%02d", e + 1);
    }

    public static int instanceOf(String user) {
        for (int i = 0; i < USERS.length; i++) {
            if (USERS[i].equals(user)) {
                return i;
            }
        }
        return -1;
    }

    /** The EM keys of instance {@code instance}: every EM of the fleet, with that instance's user name. */
    public void configure(Map<String, String> o, int instance) {
        o.put("em.url", ems.get(0).baseUrl());
        o.put("em.id", emId(0));
        o.put("em.username", USERS[instance]);
        o.put("em.password", "admin");
        for (int e = 1; e < ems.size(); e++) {
            o.put("em." + e + ".url", ems.get(e).baseUrl());
            o.put("em." + e + ".id", emId(e));
            o.put("em." + e + ".username", USERS[instance]);
            o.put("em." + e + ".password", "admin");
        }
    }

    /** EM index → the one instance that sent requests in the last {@code window}; null if some EM had two or none. */
    public Map<Integer, Integer> recentOwners(Duration window) {
        long since = System.nanoTime() - window.toNanos();
        Map<Integer, Integer> owners = new TreeMap<>();
        for (int e = 0; e < ems.size(); e++) {
            List<Integer> who = seen.get(e).stream().filter(s -> s.nanos() > since).map(Seen::instance).distinct().toList();
            if (who.size() != 1) {
                return null;
            }
            owners.put(e, who.get(0));
        }
        return owners;
    }

    /** EM index → the instances that sent it requests in the last {@code window} (none: an empty list). */
    public Map<Integer, List<Integer>> recentPollers(Duration window) {
        return pollersBetween(System.nanoTime() - window.toNanos(), Long.MAX_VALUE);
    }

    /** EM index → the instances that sent it requests between two {@link System#nanoTime} instants. */
    public Map<Integer, List<Integer>> pollersBetween(long from, long to) {
        Map<Integer, List<Integer>> m = new TreeMap<>();
        for (int e = 0; e < ems.size(); e++) {
            m.put(e, seen.get(e).stream().filter(s -> s.nanos() > from && s.nanos() < to).map(Seen::instance)
                    .distinct().sorted().toList());
        }
        return m;
    }

    /** The instance that sent EM {@code e} its latest request, -1 if none yet. */
    public int lastPoller(int e) {
        List<Seen> s = seen.get(e);
        return s.isEmpty() ? -1 : s.get(s.size() - 1).instance();
    }

    /**
     * Waits until, over the last {@code window}, every EM has one instance and each of {@code alive} polls
     * {@code each} ({@code each} &lt; 0: any number); returns EM index → instance.
     */
    public Map<Integer, Integer> awaitSpread(List<Integer> alive, int each, Duration window, Duration atMost) {
        Map<Integer, Integer>[] last = new Map[1];
        try {
            Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(500)).until(() -> {
                Map<Integer, Integer> owners = recentOwners(window);
                last[0] = owners;
                if (owners == null || owners.size() != ems.size() || !alive.containsAll(owners.values())) {
                    return false;
                }
                for (int i : alive) {
                    if (each >= 0 && owners.values().stream().filter(v -> v == i).count() != each) {
                        return false;
                    }
                }
                return true;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not every EM polled by one of " + alive + (each >= 0 ? " with " + each + " EMs each" : "")
                    + " within " + atMost + "; owners by EM in the last " + window + ": " + last[0], e);
        }
        return last[0];
    }

    /**
     * Waits until EM {@code e} sees a request after {@code since} ({@link System#nanoTime}) from an instance other
     * than {@code not}; returns the ms from {@code since} to that request.
     */
    public long awaitTakeOver(int e, int not, long since, Duration atMost) {
        Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() ->
                seen.get(e).stream().anyMatch(s -> s.nanos() > since && s.instance() != not));
        long first = seen.get(e).stream().filter(s -> s.nanos() > since && s.instance() != not)
                .mapToLong(Seen::nanos).min().orElseThrow();
        return (first - since) / 1_000_000;
    }

    /** Per EM: how often its requests changed hands over the whole run. */
    public int handOvers(int e) {
        int switches = 0;
        int last = -2;
        for (Seen s : seen.get(e)) {
            if (s.instance() != last && last != -2) {
                switches++;
            }
            last = s.instance();
        }
        return switches;
    }

    /** One line per EM: logons/requests per instance. */
    public String perInstance(int e) {
        Map<Integer, long[]> perInstance = new TreeMap<>();
        for (Seen s : seen.get(e)) {
            perInstance.computeIfAbsent(s.instance(), k -> new long[2])[s.logon() ? 0 : 1]++;
        }
        StringBuilder row = new StringBuilder("EM " + emId(e) + " logons/requests per instance:");
        perInstance.forEach((i, c) -> row.append(" #").append(i).append(' ').append(c[0]).append('/').append(c[1]));
        return row.toString();
    }

    /** Per EM id: how many "leadership taken" lines the given instances' logs hold. */
    public static Map<String, Long> leadershipsTaken(List<PipelineProcess> processes) {
        Map<String, Long> taken = new TreeMap<>();
        for (PipelineProcess p : processes) {
            for (String line : p.lines()) {
                int at = line.indexOf(": leadership taken");
                if (at > 0) {
                    taken.merge(line.substring(line.lastIndexOf("EM ", at) + 3, at), 1L, Long::sum);
                }
            }
        }
        return taken;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        ems.forEach(EmSimulator::close);
    }
}

package dev.vse.simulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The faults in force, changeable at runtime (thread-safe). Each authenticated data request draws one
 * {@link Fault}: one-shot faults queued by tests come first, then the random rates.
 * <ul>
 *   <li>500/503: an {@code <Error>} body with that status;</li>
 *   <li>delay: the response is held for {@link #delay()} (longer than a client's timeout), then sent normally;</li>
 *   <li>reset: the connection is closed without any response;</li>
 *   <li>malformed: status 200, a body that is not well-formed XML (mismatched tag);</li>
 *   <li>truncated: status 200, the first half of the body (consistent {@code Content-Length});</li>
 *   <li>BOM: every XML body (including logon, root and errors) starts with EF BB BF;</li>
 *   <li>expire after pages: a token becomes invalid after it has been used for n query pages;</li>
 *   <li>body (one-shot only): status 200 with exactly the bytes given by the test;</li>
 *   <li>pass (one-shot only): served normally, to position the faults queued after it on a later request;</li>
 *   <li>unknown elements: every data body carries elements and attributes this client has never heard of;</li>
 *   <li>path failures: every data request whose path contains a part (e.g. {@code taskSessions}, case-insensitive,
 *       query string excluded) is answered a given status, before and without drawing any other fault.</li>
 * </ul>
 * {@link #injected()} counts the faults actually injected, by kind.
 */
public final class FaultPlan {
    /** What happens to one request. */
    public enum Kind { NONE, STATUS, DELAY, RESET, MALFORMED, TRUNCATED, BODY }

    /** A drawn fault; {@code status} is set for {@link Kind#STATUS}, {@code body} for {@link Kind#BODY}. */
    public record Fault(Kind kind, int status, byte[] body) {
        static final Fault NONE = new Fault(Kind.NONE, 0);

        public Fault(Kind kind, int status) {
            this(kind, status, null);
        }
    }

    private final Random random;
    private final Deque<Fault> oneShots = new ArrayDeque<>();
    private double rate500;
    private double rate503;
    private double delayRate;
    private Duration delay;
    private double resetRate;
    private double malformedRate;
    private double truncatedRate;
    private volatile boolean bom;
    private volatile int expireTokenAfterPages;
    private volatile boolean unknownElements;
    private final Map<String, Integer> failPaths = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, AtomicLong> injected = new ConcurrentSkipListMap<>();

    public FaultPlan(FaultOptions o) {
        this.random = new Random(o.seed);
        apply(o);
    }

    /** Replaces all rates and flags with those of {@code o} (one-shot faults stay queued). */
    public synchronized FaultPlan apply(FaultOptions o) {
        rate500 = o.rate500;
        rate503 = o.rate503;
        delayRate = o.delayRate;
        delay = o.delay;
        resetRate = o.resetRate;
        malformedRate = o.malformedRate;
        truncatedRate = o.truncatedRate;
        bom = o.bom;
        expireTokenAfterPages = o.expireTokenAfterPages;
        failPaths.clear();
        failPaths.putAll(o.failPaths);
        return this;
    }

    /** Removes every fault: rates 0, no BOM, no token expiry, no unknown elements, no path failures, no queued one-shots. */
    public synchronized FaultPlan clear() {
        oneShots.clear();
        unknownElements = false;
        return apply(FaultOptions.none().withDelay(delay));
    }

    public synchronized FaultPlan error500Rate(double r) { rate500 = check(r); return this; }
    public synchronized FaultPlan error503Rate(double r) { rate503 = check(r); return this; }
    public synchronized FaultPlan delayRate(double r) { delayRate = check(r); return this; }
    public synchronized FaultPlan delay(Duration d) { delay = d; return this; }
    public synchronized FaultPlan resetRate(double r) { resetRate = check(r); return this; }
    public synchronized FaultPlan malformedRate(double r) { malformedRate = check(r); return this; }
    public synchronized FaultPlan truncatedRate(double r) { truncatedRate = check(r); return this; }
    public FaultPlan bom(boolean on) { bom = on; return this; }
    /** A token becomes invalid once it has been used for {@code n} query pages (0 = off). */
    public FaultPlan expireTokenAfterPages(int n) { expireTokenAfterPages = Math.max(0, n); return this; }

    /**
     * From now on, every data request whose path contains {@code pathPart} (case-insensitively; a query counts as
     * {@code /api/query?type=<type>}; e.g. {@code "taskSessions"} hits {@code /backupSessions/{ID}/taskSessions} and
     * {@code /backupTaskSessions}, never {@code /query}; {@code "taskSession"} hits those and the task-session queries
     * {@code /query?type=BackupTaskSession|ReplicaTaskSession}) is answered {@code status} with an {@code <Error>} body,
     * until {@link #clearPathFailures()}.
     */
    public FaultPlan failPaths(String pathPart, int status) {
        failPaths.put(pathKey(pathPart), checkStatus(status));
        return this;
    }

    /** Removes every path failure. */
    public FaultPlan clearPathFailures() {
        failPaths.clear();
        return this;
    }

    /** The status of the first path failure whose part {@code lowerCasePath} contains; null when none applies. */
    Integer pathFailure(String lowerCasePath) {
        for (Map.Entry<String, Integer> e : failPaths.entrySet()) {
            if (lowerCasePath.contains(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    static String pathKey(String pathPart) {
        if (pathPart == null || pathPart.isBlank()) {
            throw new IllegalArgumentException("path part must not be empty");
        }
        return pathPart.toLowerCase(java.util.Locale.ROOT);
    }

    static int checkStatus(int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status must be between 100 and 599: " + status);
        }
        return status;
    }

    /** The next {@code count} data requests fail with {@code status} and an {@code <Error>} body. */
    public FaultPlan failNext(int status, int count) { return queue(new Fault(Kind.STATUS, status), count); }
    /** The next {@code count} data requests get a malformed XML body. */
    public FaultPlan malformedNext(int count) { return queue(new Fault(Kind.MALFORMED, 0), count); }
    /** The next {@code count} data requests get a truncated body. */
    public FaultPlan truncatedNext(int count) { return queue(new Fault(Kind.TRUNCATED, 0), count); }
    /** The next {@code count} data requests have their connection closed without a response. */
    public FaultPlan resetNext(int count) { return queue(new Fault(Kind.RESET, 0), count); }
    /** The next {@code count} data requests are held for {@link #delay()}. */
    public FaultPlan delayNext(int count) { return queue(new Fault(Kind.DELAY, 0), count); }
    /** The next {@code count} data requests are answered 200 with exactly {@code body} (no BOM added, no mangling). */
    public FaultPlan bodyNext(byte[] body, int count) {
        return queue(new Fault(Kind.BODY, 200, body.clone()), count);
    }
    /** The next {@code count} data requests are served normally (the one-shots queued after them wait). */
    public FaultPlan passNext(int count) { return queue(Fault.NONE, count); }
    /**
     * Every data body gets elements (with children and attributes) and attributes unknown to any client, at the
     * root and inside each session entity: what a newer EM version might send.
     */
    public FaultPlan unknownElements(boolean on) { unknownElements = on; return this; }
    public boolean unknownElements() { return unknownElements; }
    /**
     * Every body that holds one of these sessions (by GUID or UID) shows it with a {@code CreationTimeUTC} that is
     * not a date: one unreadable session among readable ones, for as long as it stays corrupt.
     */
    public FaultPlan corruptSessions(java.util.Collection<String> ids) {
        corrupt.clear();
        ids.forEach(id -> corrupt.add(id.substring(id.lastIndexOf(':') + 1).toLowerCase(java.util.Locale.ROOT)));
        return this;
    }
    public java.util.Set<String> corruptSessions() { return java.util.Set.copyOf(corrupt); }

    private final java.util.Set<String> corrupt = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Faults injected so far, by kind: {@code 500}, {@code 503}, {@code delay}, {@code reset}, ... */
    public Map<String, Long> injected() {
        Map<String, Long> m = new TreeMap<>();
        injected.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** Counts one injected fault of {@code kind} (the simulator calls this when it applies one). */
    void count(String kind) {
        injected.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    /** Counts a drawn fault under its kind (nothing for {@link Kind#NONE}). */
    void count(Fault f) {
        switch (f.kind()) {
            case NONE -> { }
            case STATUS -> count(Integer.toString(f.status()));
            default -> count(f.kind().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    public synchronized Duration delay() { return delay; }
    public boolean bom() { return bom; }
    public int expireTokenAfterPages() { return expireTokenAfterPages; }

    /** Draws the fault for one authenticated data request. */
    public synchronized Fault next() {
        if (!oneShots.isEmpty()) {
            return oneShots.poll();
        }
        double total = rate500 + rate503 + delayRate + resetRate + malformedRate + truncatedRate;
        if (total == 0) {
            return Fault.NONE;
        }
        double r = random.nextDouble();
        double[] rates = {rate500, rate503, delayRate, resetRate, malformedRate, truncatedRate};
        Fault[] faults = {new Fault(Kind.STATUS, 500), new Fault(Kind.STATUS, 503), new Fault(Kind.DELAY, 0),
            new Fault(Kind.RESET, 0), new Fault(Kind.MALFORMED, 0), new Fault(Kind.TRUNCATED, 0)};
        double acc = 0;
        for (int i = 0; i < rates.length; i++) {
            acc += rates[i];
            if (r < acc) {
                return faults[i];
            }
        }
        return Fault.NONE;
    }

    private synchronized FaultPlan queue(Fault f, int count) {
        for (int i = 0; i < count; i++) {
            oneShots.add(f);
        }
        return this;
    }

    private static double check(double r) {
        if (r < 0 || r > 1 || Double.isNaN(r)) {
            throw new IllegalArgumentException("fault rate must be between 0 and 1: " + r);
        }
        return r;
    }
}

package dev.vse.simulator;

import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Objects;

/** Everything {@link EmSimulator#start} needs (immutable; {@code withX} returns a copy). */
public final class SimulatorOptions {
    int port = 9399;
    String bindHost = "0.0.0.0";
    String user = "admin";
    String password = "admin";
    Duration tokenIdleTimeout = Duration.ofMinutes(15);
    Duration collectionLag = Duration.ZERO;
    int defaultPageSize = 100;
    GeneratorOptions generator;
    Path scenario;
    KeyStore keyStore;
    char[] keyPassword;
    FaultOptions faults = FaultOptions.none();
    private static final SimClock WALL = SimClock.system();
    SimClock clock = WALL;
    Duration clockOffset = Duration.ZERO;

    private SimulatorOptions() { }

    /** Port 9399, bind 0.0.0.0, admin/admin, 15 min idle timeout, no lag, page size 100, empty estate, no faults. */
    public static SimulatorOptions defaults() {
        return new SimulatorOptions();
    }

    private SimulatorOptions copy() {
        SimulatorOptions c = new SimulatorOptions();
        c.port = port;
        c.bindHost = bindHost;
        c.user = user;
        c.password = password;
        c.tokenIdleTimeout = tokenIdleTimeout;
        c.collectionLag = collectionLag;
        c.defaultPageSize = defaultPageSize;
        c.generator = generator;
        c.scenario = scenario;
        c.keyStore = keyStore;
        c.keyPassword = keyPassword;
        c.faults = faults;
        c.clock = clock;
        c.clockOffset = clockOffset;
        return c;
    }

    /** 0 = an ephemeral port. */
    public SimulatorOptions withPort(int p) {
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("port out of range: " + p);
        }
        SimulatorOptions c = copy(); c.port = p; return c;
    }
    public SimulatorOptions withBindHost(String h) { SimulatorOptions c = copy(); c.bindHost = Objects.requireNonNull(h); return c; }
    public SimulatorOptions withCredentials(String u, String p) {
        SimulatorOptions c = copy(); c.user = Objects.requireNonNull(u); c.password = Objects.requireNonNull(p); return c;
    }
    public SimulatorOptions withTokenIdleTimeout(Duration d) { SimulatorOptions c = copy(); c.tokenIdleTimeout = positive(d, "token idle timeout"); return c; }
    /** Changes become visible in batches every {@code d} (EM's data-collection job); zero = live. */
    public SimulatorOptions withCollectionLag(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("collection lag must not be negative");
        }
        SimulatorOptions c = copy(); c.collectionLag = d; return c;
    }
    public SimulatorOptions withDefaultPageSize(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("page size must be positive");
        }
        SimulatorOptions c = copy(); c.defaultPageSize = n; return c;
    }
    /** Generated estate (replaces a scenario). */
    public SimulatorOptions withGenerator(GeneratorOptions g) { SimulatorOptions c = copy(); c.generator = g; c.scenario = null; return c; }
    /** Scripted estate from a YAML/JSON file (replaces the generator). */
    public SimulatorOptions withScenario(Path p) { SimulatorOptions c = copy(); c.scenario = p; c.generator = null; return c; }
    /** Serve HTTPS with the first key entry of {@code ks}. */
    public SimulatorOptions withTls(KeyStore ks, char[] keyPassword) {
        SimulatorOptions c = copy(); c.keyStore = ks; c.keyPassword = keyPassword == null ? null : keyPassword.clone(); return c;
    }
    public SimulatorOptions withFaults(FaultOptions f) { SimulatorOptions c = copy(); c.faults = Objects.requireNonNull(f); return c; }
    /** The clock that drives timelines, lag and token expiry (tests pass a {@link ManualClock}). */
    public SimulatorOptions withClock(SimClock clk) { SimulatorOptions c = copy(); c.clock = Objects.requireNonNull(clk); return c; }
    /**
     * Shifts the simulator's whole notion of now by {@code d} (negative: an EM whose clock is behind): timelines,
     * generated sessions, collection lag, token expiry and the {@code Date} header. Applies on top of {@link #withClock}.
     */
    public SimulatorOptions withClockOffset(Duration d) { SimulatorOptions c = copy(); c.clockOffset = Objects.requireNonNull(d); return c; }

    public int port() { return port; }
    public String bindHost() { return bindHost; }
    public String user() { return user; }
    public Duration tokenIdleTimeout() { return tokenIdleTimeout; }
    public Duration collectionLag() { return collectionLag; }
    public int defaultPageSize() { return defaultPageSize; }
    public GeneratorOptions generator() { return generator; }
    public Path scenario() { return scenario; }
    public FaultOptions faults() { return faults; }
    public boolean tls() { return keyStore != null; }
    public Duration clockOffset() { return clockOffset; }

    /** The clock the simulator runs on: {@link #withClock}'s, shifted by {@link #withClockOffset}. */
    SimClock effectiveClock() { return SimClock.offset(clock, clockOffset); }

    /** True when the simulator runs on this host's wall clock, unshifted: then the JDK's own Date is right. */
    boolean onWallClock() { return clock == WALL && clockOffset.isZero(); }

    private static Duration positive(Duration d, String what) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
        return d;
    }
}

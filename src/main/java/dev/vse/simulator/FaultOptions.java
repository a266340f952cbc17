package dev.vse.simulator;

import dev.vse.util.Durations;
import java.time.Duration;
import java.util.Map;

/**
 * Faults to inject from the start (immutable; {@code withX} returns a copy). Rates are probabilities per
 * authenticated data request (query and session resources), drawn from a random seeded with {@code seed}; path
 * failures answer every data request whose path contains a part.
 */
public final class FaultOptions {
    final double rate500;
    final double rate503;
    final double delayRate;
    final Duration delay;
    final double resetRate;
    final double malformedRate;
    final double truncatedRate;
    final boolean bom;
    final int expireTokenAfterPages;
    final long seed;
    /** Path part (lower case) to status: data requests whose path contains the part are answered that status. */
    final Map<String, Integer> failPaths;

    private FaultOptions(double rate500, double rate503, double delayRate, Duration delay, double resetRate,
            double malformedRate, double truncatedRate, boolean bom, int expireTokenAfterPages, long seed,
            Map<String, Integer> failPaths) {
        this.rate500 = rate(rate500);
        this.rate503 = rate(rate503);
        this.delayRate = rate(delayRate);
        this.delay = delay;
        this.resetRate = rate(resetRate);
        this.malformedRate = rate(malformedRate);
        this.truncatedRate = rate(truncatedRate);
        this.bom = bom;
        this.expireTokenAfterPages = Math.max(0, expireTokenAfterPages);
        this.seed = seed;
        this.failPaths = Map.copyOf(failPaths);
    }

    /** No faults. Delay when a delay fault fires: 30 s. */
    public static FaultOptions none() {
        return new FaultOptions(0, 0, 0, Duration.ofSeconds(30), 0, 0, 0, false, 0, 1L, Map.of());
    }

    public FaultOptions withError500Rate(double r) { return new FaultOptions(r, rate503, delayRate, delay, resetRate, malformedRate, truncatedRate, bom, expireTokenAfterPages, seed, failPaths); }
    public FaultOptions withError503Rate(double r) { return new FaultOptions(rate500, r, delayRate, delay, resetRate, malformedRate, truncatedRate, bom, expireTokenAfterPages, seed, failPaths); }
    public FaultOptions withDelayRate(double r) { return new FaultOptions(rate500, rate503, r, delay, resetRate, malformedRate, truncatedRate, bom, expireTokenAfterPages, seed, failPaths); }
    public FaultOptions withDelay(Duration d) { return new FaultOptions(rate500, rate503, delayRate, d, resetRate, malformedRate, truncatedRate, bom, expireTokenAfterPages, seed, failPaths); }
    public FaultOptions withResetRate(double r) { return new FaultOptions(rate500, rate503, delayRate, delay, r, malformedRate, truncatedRate, bom, expireTokenAfterPages, seed, failPaths); }
    public FaultOptions withMalformedRate(double r) { return new FaultOptions(rate500, rate503, delayRate, delay, resetRate, r, truncatedRate, bom, expireTokenAfterPages, seed, failPaths); }
    public FaultOptions withTruncatedRate(double r) { return new FaultOptions(rate500, rate503, delayRate, delay, resetRate, malformedRate, r, bom, expireTokenAfterPages, seed, failPaths); }
    public FaultOptions withBom(boolean b) { return new FaultOptions(rate500, rate503, delayRate, delay, resetRate, malformedRate, truncatedRate, b, expireTokenAfterPages, seed, failPaths); }
    public FaultOptions withExpireTokenAfterPages(int n) { return new FaultOptions(rate500, rate503, delayRate, delay, resetRate, malformedRate, truncatedRate, bom, n, seed, failPaths); }
    public FaultOptions withSeed(long s) { return new FaultOptions(rate500, rate503, delayRate, delay, resetRate, malformedRate, truncatedRate, bom, expireTokenAfterPages, s, failPaths); }

    /**
     * Data requests whose path contains {@code pathPart} (case-insensitively, query string excluded) are answered
     * {@code status} with an {@code <Error>} body, e.g. {@code ("taskSessions", 500)}; adds to earlier ones.
     */
    public FaultOptions withFailPath(String pathPart, int status) {
        Map<String, Integer> m = new java.util.LinkedHashMap<>(failPaths);
        m.put(FaultPlan.pathKey(pathPart), FaultPlan.checkStatus(status));
        return new FaultOptions(rate500, rate503, delayRate, delay, resetRate, malformedRate, truncatedRate, bom, expireTokenAfterPages, seed, m);
    }

    public boolean isNone() {
        return rate500 + rate503 + delayRate + resetRate + malformedRate + truncatedRate == 0 && !bom && expireTokenAfterPages == 0
                && failPaths.isEmpty();
    }

    @Override
    public String toString() {
        return isNone() ? "none" : String.format("500=%s 503=%s delay=%s(%s) reset=%s malformed=%s truncated=%s bom=%s expireAfterPages=%d"
                + " failPaths=%s", rate500, rate503, delayRate, Durations.format(delay), resetRate, malformedRate, truncatedRate, bom,
                expireTokenAfterPages, failPaths);
    }

    private static double rate(double r) {
        if (r < 0 || r > 1 || Double.isNaN(r)) {
            throw new IllegalArgumentException("fault rate must be between 0 and 1: " + r);
        }
        return r;
    }
}

package dev.vse.simulator;

import dev.vse.util.Durations;
import java.time.Duration;

/**
 * Faults to inject from the start (immutable; {@code withX} returns a copy). Rates are probabilities per
 * authenticated data request (query and session resources), drawn from a random seeded with {@code seed}.
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

    private FaultOptions(double rate500, double rate503, double delayRate, Duration delay, double resetRate,
            double malformedRate, double truncatedRate, boolean bom, int expireTokenAfterPages, long seed) {
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
    }

    /** No faults. Delay when a delay fault fires: 30 s. */
    public static FaultOptions none() {
        return new FaultOptions(0, 0, 0, Duration.ofSeconds(30), 0, 0, 0, false, 0, 1L);
    }

    public FaultOptions withError500Rate(double r) { return new FaultOptions(r, rate503, delayRate, delay, resetRate, malformedRate, truncatedRate, bom, expireTokenAfterPages, seed); }
    public FaultOptions withError503Rate(double r) { return new FaultOptions(rate500, r, delayRate, delay, resetRate, malformedRate, truncatedRate, bom, expireTokenAfterPages, seed); }
    public FaultOptions withDelayRate(double r) { return new FaultOptions(rate500, rate503, r, delay, resetRate, malformedRate, truncatedRate, bom, expireTokenAfterPages, seed); }
    public FaultOptions withDelay(Duration d) { return new FaultOptions(rate500, rate503, delayRate, d, resetRate, malformedRate, truncatedRate, bom, expireTokenAfterPages, seed); }
    public FaultOptions withResetRate(double r) { return new FaultOptions(rate500, rate503, delayRate, delay, r, malformedRate, truncatedRate, bom, expireTokenAfterPages, seed); }
    public FaultOptions withMalformedRate(double r) { return new FaultOptions(rate500, rate503, delayRate, delay, resetRate, r, truncatedRate, bom, expireTokenAfterPages, seed); }
    public FaultOptions withTruncatedRate(double r) { return new FaultOptions(rate500, rate503, delayRate, delay, resetRate, malformedRate, r, bom, expireTokenAfterPages, seed); }
    public FaultOptions withBom(boolean b) { return new FaultOptions(rate500, rate503, delayRate, delay, resetRate, malformedRate, truncatedRate, b, expireTokenAfterPages, seed); }
    public FaultOptions withExpireTokenAfterPages(int n) { return new FaultOptions(rate500, rate503, delayRate, delay, resetRate, malformedRate, truncatedRate, bom, n, seed); }
    public FaultOptions withSeed(long s) { return new FaultOptions(rate500, rate503, delayRate, delay, resetRate, malformedRate, truncatedRate, bom, expireTokenAfterPages, s); }

    public boolean isNone() {
        return rate500 + rate503 + delayRate + resetRate + malformedRate + truncatedRate == 0 && !bom && expireTokenAfterPages == 0;
    }

    @Override
    public String toString() {
        return isNone() ? "none" : String.format("500=%s 503=%s delay=%s(%s) reset=%s malformed=%s truncated=%s bom=%s expireAfterPages=%d",
                rate500, rate503, delayRate, Durations.format(delay), resetRate, malformedRate, truncatedRate, bom, expireTokenAfterPages);
    }

    private static double rate(double r) {
        if (r < 0 || r > 1 || Double.isNaN(r)) {
            throw new IllegalArgumentException("fault rate must be between 0 and 1: " + r);
        }
        return r;
    }
}

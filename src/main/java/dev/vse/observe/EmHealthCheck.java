package dev.vse.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of one EM ({@code vse/em-<id>}): DOWN at once when its credentials are refused; DOWN when some session
 * type had no successful cycle (every page read, window advanced) within {@code 3 × POLL_INTERVAL}, once a start-up
 * grace of the same length has passed (counted from a take-over too, when clustered). The details name the EM, the reason,
 * the status and the last error. Clustered, an EM that another instance leads is UP with status {@code standby}.
 */
public final class EmHealthCheck extends AbstractHealthCheck {
    /** How many poll intervals an EM may go without a successful cycle. */
    public static final int INTERVALS = 3;

    private final EmStatusBoard board;
    private final String emId;
    private final Duration allowed;
    private final boolean readiness;

    public EmHealthCheck(EmStatusBoard board, String emId, Duration pollInterval) {
        this(board, emId, pollInterval, true);
    }

    /**
     * {@code readiness} false: the check is reported (in /observe/health) but does not make the instance unready.
     * With CLUSTER_SERVICE=kubernetes the cluster members are the ready pods, so an EM that is away must not make
     * its leader unready: every pod would drop out and nobody would poll any EM.
     */
    public EmHealthCheck(EmStatusBoard board, String emId, Duration pollInterval, boolean readiness) {
        super("vse", "em-" + emId);
        this.board = board;
        this.emId = emId;
        this.allowed = pollInterval.multipliedBy(INTERVALS);
        this.readiness = readiness;
    }

    @Override
    public boolean isReadiness() {
        return readiness;
    }

    @Override
    public boolean isLiveness() {
        return false; // an EM that is away does not make the process unhealthy
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        EmStatus s = board.status(emId);
        Instant now = board.clock().instant();
        builder.detail("em", emId);
        builder.detail("url", s.url());
        if (board.standby(emId)) {
            // clustered: another instance leads (polls) this EM; this one takes over when it goes away
            builder.detail("status", "standby");
            builder.up();
            return;
        }
        builder.detail("status", s.state().value());
        if (s.lastError() != null) {
            builder.detail("lastError", s.lastError());
        }
        if (s.lastCycleAt() != null) {
            builder.detail("lastCycleAt", s.lastCycleAt().toString());
        }
        for (String type : s.sessionTypes()) {
            s.lastSuccessfulCycleAt(type).ifPresent(t -> builder.detail("lastSuccessfulCycleAt." + type, t.toString()));
        }
        String reason = reason(s, now);
        if (reason == null) {
            builder.up();
        } else {
            builder.detail("reason", reason);
            builder.message("EM " + emId + ": " + reason);
            builder.down();
        }
    }

    /** Why the EM is not ready; null when it is. */
    String reason(EmStatus s, Instant now) {
        if (s.givenUp() != null) {
            return "given up by this instance: " + s.givenUp();
        }
        if (s.state() == EmState.AUTH_REFUSED) {
            return "credentials refused";
        }
        if (now.isBefore(board.pollingSince(emId).plus(allowed))) {
            return null; // start-up (or take-over) grace
        }
        Instant stale = now.minus(allowed);
        for (String type : s.sessionTypes()) {
            Instant last = s.lastSuccessfulCycleAt(type).orElse(null);
            if (last == null || last.isBefore(stale)) {
                return "no successful " + type + " cycle " + (last == null ? "since start" : "since " + last)
                        + " (more than " + INTERVALS + " poll intervals)" + (s.state() == EmState.OK ? "" : ", " + s.state().value());
            }
        }
        return null;
    }
}

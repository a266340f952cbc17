package dev.vse.incident;

import dev.vse.em.EmClient;
import dev.vse.model.JobSession;
import dev.vse.model.RetryOptions;
import dev.vse.util.OneLine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retry policy of each job, read from EM only when a session of that job fails (one request per job, not per
 * session), cached per EM and job for {@code refresh} (a few hours: jobs change rarely). When the job cannot be read,
 * Veeam's defaults are assumed for a few minutes ({@link RetryPolicy#VEEAM_DEFAULT}, one WARN line), so an alert
 * waits at most as long as a default job would retry, and is never lost. Thread-safe.
 */
public final class RetryPolicies {
    /** Reads one job's policy from EM; throws when it cannot. */
    @FunctionalInterface
    public interface Reader {
        RetryPolicy read(String emId, JobSession session);
    }

    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicies.class);
    /** How long an assumed policy stands before the job is read again. */
    static final Duration ASSUMED_FOR = Duration.ofMinutes(5);

    private record Cached(RetryPolicy policy, Instant until) { }

    private final boolean retryAware;
    private final Reader reader;
    private final Duration refresh;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public RetryPolicies(boolean retryAware, Reader reader, Duration refresh, Clock clock) {
        this.retryAware = retryAware;
        this.reader = reader;
        this.refresh = refresh;
        this.clock = clock;
    }

    /**
     * Reads the policy of the job of {@code session} from EM: its {@code JobReference} link (links are opaque), else
     * {@code /jobs/{guid}} from the job UID; one request.
     */
    public static RetryPolicy read(EmClient client, JobSession session) {
        String href = session.jobHref();
        if (href == null) {
            String uid = session.getJobUid();
            href = "jobs/" + uid.substring(uid.lastIndexOf(':') + 1);
        }
        RetryOptions o = client.job(href).getRetryOptions();
        return o == null ? RetryPolicy.fromJob(false, null, null)
                : RetryPolicy.fromJob(o.getRetrySpecified(), o.getRetryTimes(), o.getRetryTimeout());
    }

    /** Retry-aware job alerts ({@code ALERTS_RETRY_AWARE}). */
    public boolean retryAware() {
        return retryAware;
    }

    /** The policy of the job of {@code session}. */
    public RetryPolicy of(String emId, JobSession session) {
        if (!retryAware) {
            return RetryPolicy.NONE;
        }
        String key = emId + "\n" + session.getJobUid();
        Instant now = clock.instant();
        Cached hit = cache.get(key);
        if (hit != null && now.isBefore(hit.until())) {
            return hit.policy();
        }
        RetryPolicy policy;
        Duration keep;
        try {
            policy = reader.read(emId, session);
            keep = refresh;
        } catch (RuntimeException e) {
            policy = RetryPolicy.VEEAM_DEFAULT;
            keep = ASSUMED_FOR;
            LOG.warn("EM {}: cannot read the retry options of job \"{}\" ({}), assuming Veeam's defaults "
                    + "(3 retries, 10 min) for now: {}", emId, session.getJobName(), session.getJobUid(),
                    OneLine.message(e));
        }
        cache.put(key, new Cached(policy, now.plus(keep)));
        return policy;
    }
}

package dev.vse.deploy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The metrics of DESIGN.md / README "Operations contract" ({@code GET /observe/metrics}) and their tags: the only
 * names the dashboard and the alert rules may query.
 */
final class OperationsContract {
    /** Metric name (as Prometheus exposes it) to its tags. */
    static final Map<String, Set<String>> METRICS = metrics();
    /** Timers are exposed as {@code <name>_count}, {@code _sum}, {@code _max} and (with histograms) {@code _bucket}. */
    static final Set<String> TIMERS = Set.of("vse_em_requests_seconds");
    static final Set<String> TIMER_SUFFIXES = Set.of("_count", "_sum", "_max", "_bucket");
    /** Labels Prometheus adds to every scraped series. */
    static final Set<String> TARGET_LABELS = Set.of("job", "instance");

    private OperationsContract() { }

    private static Map<String, Set<String>> metrics() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put("vse_events_published_total", Set.of("em", "type"));
        m.put("vse_dlq_records_total", Set.of("em", "kind"));
        m.put("vse_cycles_total", Set.of("em", "session_type", "outcome"));
        m.put("vse_em_requests_seconds", Set.of("em", "outcome"));
        m.put("vse_sessions_tracked", Set.of("em"));
        m.put("vse_sessions_running", Set.of("em"));
        m.put("vse_last_successful_cycle_timestamp_seconds", Set.of("em", "session_type"));
        m.put("vse_em_clock_skew_seconds", Set.of("em"));
        m.put("vse_job_alerts_firing", Set.of("em"));
        return Map.copyOf(m);
    }

    /** The contract metric a series name belongs to ({@code vse_em_requests_seconds_bucket} -> the timer). */
    static Optional<String> metricOf(String series) {
        if (METRICS.containsKey(series) && !TIMERS.contains(series)) {
            return Optional.of(series);
        }
        for (String timer : TIMERS) {
            for (String suffix : TIMER_SUFFIXES) {
                if (series.equals(timer + suffix)) {
                    return Optional.of(timer);
                }
            }
        }
        return Optional.empty();
    }

    /** The labels a series of the contract may carry: its tags, the target labels, and {@code le} on buckets. */
    static Set<String> labelsOf(String series) {
        String metric = metricOf(series).orElseThrow(() -> new IllegalArgumentException("not in the contract: " + series));
        Set<String> labels = new java.util.HashSet<>(METRICS.get(metric));
        labels.addAll(TARGET_LABELS);
        if (series.endsWith("_bucket")) {
            labels.add("le");
        }
        return labels;
    }
}

package dev.vse.alert;

import dev.vse.event.JobAlert;
import dev.vse.event.JobAlertJson;
import dev.vse.util.OneLine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bean of the Alertmanager bridge routes ({@code routes/alertmanager.yaml}), bound as {@code alertmanagerBridge}:
 * applies job alert records to the {@link Incidents}, POSTs the current state of incidents to Alertmanager's
 * {@code /api/v2/alerts} and commits a record's offset once Alertmanager accepted it.
 *
 * <p>POSTs are serialised and each builds its alerts from the incidents' state at the moment it is sent, so a
 * re-send of open incidents can never overtake (and re-open) a resolution sent just before it.
 *
 * <p>Alertmanager's 400 or 422 means the alert itself is invalid: that alert is logged and dropped (counted as
 * {@code rejected}); sending it again could only block every later record. Any other failure (no answer, 5xx,
 * 401/403 from a proxy, ...) is retried and nothing is committed until Alertmanager accepts.
 *
 * <p>Meters: {@code vse_alertmanager_posts_total{outcome=accepted|failed|rejected}} (one per HTTP attempt, retries included),
 * {@code vse_alertmanager_open_incidents}, {@code vse_alertmanager_skipped_records_total} (records that are not job
 * alerts).
 */
public final class AlertmanagerBridge {
    private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerBridge.class);

    private final URI alertsUrl;
    private final Duration timeout;
    private final Incidents incidents;
    private final AlertmanagerAlerts alerts;
    private final TopicReader topic;
    private final HttpClient http;
    private final Clock clock;
    private final AtomicBoolean rebuilt = new AtomicBoolean();
    private final Object postLock = new Object();
    private final Counter accepted;
    private final Counter failed;
    private final Counter rejected;
    private final Counter skipped;

    AlertmanagerBridge(URI alertsUrl, Duration timeout, Incidents incidents, AlertmanagerAlerts alerts, TopicReader topic,
                       MeterRegistry meters, Clock clock) {
        this.alertsUrl = alertsUrl;
        this.timeout = timeout;
        this.incidents = incidents;
        this.alerts = alerts;
        this.topic = topic;
        this.clock = clock;
        // the JVM's trust store for https; no redirects (a POST that is redirected is not accepted)
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.accepted = posts(meters, "accepted");
        this.failed = posts(meters, "failed");
        this.rejected = posts(meters, "rejected");
        this.skipped = Counter.builder("vse.alertmanager.skipped.records")
                .description("Records of the job alerts topic that are not job alerts (not sent, committed)").register(meters);
        Gauge.builder("vse.alertmanager.open.incidents", incidents, Incidents::openCount)
                .description("Job alert incidents open (failed, not resolved) and re-sent to Alertmanager").register(meters);
    }

    /**
     * The bridge over {@code clientProperties} (the app's Kafka bootstrap servers and security) for the topic
     * {@code topicName}; meters on {@code meters}.
     */
    public static AlertmanagerBridge create(URI alertsUrl, Duration timeout, String severity, Duration activeFor,
                                            java.util.Properties clientProperties, String topicName, MeterRegistry meters,
                                            Clock clock) {
        return new AlertmanagerBridge(alertsUrl, timeout, new Incidents(), new AlertmanagerAlerts(severity, activeFor),
                new TopicReader(clientProperties, topicName, Duration.ofSeconds(60)), meters, clock);
    }

    private static Counter posts(MeterRegistry meters, String outcome) {
        return Counter.builder("vse.alertmanager.posts").tag("outcome", outcome)
                .description("POSTs to Alertmanager's /api/v2/alerts by outcome (accepted = 2xx)").register(meters);
    }

    Incidents incidents() {
        return incidents;
    }

    // --- the consumer route: one record -> open set -> POST -> commit ------------------------------------------------

    /**
     * Applies the consumed record to the open set. Returns the record key, whose current state the route POSTs, or
     * null for a record that is not a job alert (one WARN line; it is committed and never sent).
     */
    public String receive(Exchange exchange) {
        Message m = exchange.getMessage();
        String key = m.getHeader(KafkaConstants.KEY, String.class);
        Integer partition = m.getHeader(KafkaConstants.PARTITION, Integer.class);
        Long offset = m.getHeader(KafkaConstants.OFFSET, Long.class);
        byte[] value = m.getBody(byte[].class);
        return apply(key, partition == null ? -1 : partition, offset == null ? -1 : offset, name -> header(m, name), value);
    }

    /** Offsets of this record (and those before it in its partition) are committed: Alertmanager has it. */
    public void commit(Exchange exchange) {
        KafkaManualCommit manual = exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
        if (manual != null) {
            manual.commit();
        }
    }

    /** A record's delivery failed after its retries (route error handler): one line; it is not committed and comes again. */
    public void deliveryFailed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Message m = exchange.getMessage();
        LOG.warn("Alertmanager {}: job alert {} (partition {}, offset {}) not delivered, not committed, retried: {}", alertsUrl,
                m.getHeader(KafkaConstants.KEY), m.getHeader(KafkaConstants.PARTITION), m.getHeader(KafkaConstants.OFFSET),
                describe(e));
    }

    // --- the re-send route ----------------------------------------------------------------------------------------

    /** The first time: reads the whole topic, so every open incident is known before the first re-send. */
    public void rebuildOnce() {
        if (rebuilt.get()) {
            return;
        }
        long started = System.nanoTime();
        int records = topic.readAll(this::apply);
        rebuilt.set(true);
        LOG.info("Alertmanager bridge: {} job alert record(s) read, {} incident(s) open, re-sent every interval to {} ({} ms)",
                records, incidents.openCount(), alertsUrl, (System.nanoTime() - started) / 1_000_000);
    }

    /** Keys of the open incidents, for one POST; null when none is open. */
    public List<String> openIncidents() {
        List<String> keys = incidents.openKeys();
        return keys.isEmpty() ? null : keys;
    }

    /** A re-send failed (route error handler): one line; the next interval sends again. */
    public void resendFailed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("Alertmanager {}: open incidents not re-sent, next try in one interval: {}", alertsUrl, describe(e));
    }

    // --- both routes ----------------------------------------------------------------------------------------------

    /**
     * POSTs the current state of the incidents named by the body (a key or a collection of keys) to Alertmanager.
     *
     * @throws AlertmanagerException when Alertmanager does not answer 2xx
     * @throws IOException           when it cannot be reached
     */
    public void post(Exchange exchange) throws IOException, InterruptedException {
        Object body = exchange.getMessage().getBody();
        Collection<String> keys = body instanceof Collection<?> c ? c.stream().map(String::valueOf).toList()
                : body == null ? List.of() : List.of(body.toString());
        synchronized (postLock) {
            List<Map<String, Object>> batch = new ArrayList<>();
            for (String key : keys) {
                incidents.get(key).map(s -> alerts.of(s, clock.instant())).ifPresent(batch::add);
            }
            if (batch.isEmpty()) {
                return;
            }
            try {
                send(AlertmanagerAlerts.json(batch));
            } catch (AlertmanagerException e) {
                if (!e.rejected()) {
                    throw e;
                }
                if (batch.size() == 1) {
                    rejected(batch.get(0), e);
                    return;
                }
                // Alertmanager refuses the whole batch for one invalid alert: the others go alone
                for (Map<String, Object> alert : batch) {
                    try {
                        send(AlertmanagerAlerts.json(List.of(alert)));
                    } catch (AlertmanagerException alone) {
                        if (!alone.rejected()) {
                            throw alone;
                        }
                        rejected(alert, alone);
                    }
                }
            }
        }
    }

    private void rejected(Map<String, Object> alert, AlertmanagerException e) {
        rejected.increment();
        LOG.warn("Alertmanager {} rejects the alert {} (dropped: it would be rejected again): {}", alertsUrl,
                alert.get("labels"), e.getMessage());
    }

    private void send(byte[] json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(alertsUrl).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            failed.increment();
            throw e;
        }
        if (response.statusCode() / 100 != 2) {
            if (!AlertmanagerException.rejected(response.statusCode())) {
                failed.increment();
            }
            throw new AlertmanagerException(response.statusCode(), OneLine.of(response.body(), 200));
        }
        accepted.increment();
    }

    /**
     * Applies one record: {@code header} gives its CloudEvents headers ({@code ce_type}, {@code ce_id}, ...) by name,
     * null when absent; {@code value} null for a tombstone. A record that is not a job alert ({@link JobAlertJson#read}
     * refuses it) is skipped.
     */
    String apply(String key, int partition, long offset, Function<String, String> header, byte[] value) {
        if (key == null) {
            skip(partition, offset, "record has no key (the job UID)");
            return null;
        }
        JobAlert alert = null;
        if (value != null) {
            try {
                alert = JobAlertJson.read(header.apply("ce_type"), header.apply("ce_id"), header.apply("ce_source"),
                        header.apply("ce_subject"), time(header.apply("ce_time")), value);
            } catch (IllegalArgumentException e) {
                skip(partition, offset, e.getMessage());
                return null;
            }
        }
        incidents.apply(key, partition, offset, alert);
        return key;
    }

    /** {@code ce_time} (RFC 3339); null when absent or not a timestamp: nothing here depends on it. */
    private static Instant time(String ceTime) {
        if (ceTime == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(ceTime).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private void skip(int partition, long offset, String why) {
        skipped.increment();
        LOG.warn("Alertmanager bridge: record at partition {} offset {} skipped, not a job alert: {}", partition, offset, why);
    }

    /** One line for a failed POST (the JDK's connect exceptions carry no message). */
    String describe(Throwable e) {
        if (e == null) {
            return "?";
        }
        if (e instanceof java.net.ConnectException) {
            return "not reachable (" + OneLine.message(e) + ")";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        return e instanceof AlertmanagerException ? e.getMessage() : e.getClass().getSimpleName() + ": " + OneLine.message(e);
    }

    private static String header(Message m, String name) {
        Object v = m.getHeader(name);
        if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        return v == null ? null : v.toString();
    }

    /** Alertmanager answered, but not 2xx. */
    public static final class AlertmanagerException extends IOException {
        private final int status;

        public AlertmanagerException(int status, String body) {
            super("HTTP " + status + (body == null || body.isBlank() ? "" : ": " + body));
            this.status = status;
        }

        public int status() {
            return status;
        }

        /** 400 and 422: Alertmanager found the alert itself invalid; sending it again cannot succeed. */
        public boolean rejected() {
            return rejected(status);
        }

        static boolean rejected(int status) {
            return status == 400 || status == 422;
        }
    }
}

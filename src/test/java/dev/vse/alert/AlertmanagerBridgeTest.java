package dev.vse.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.event.JobAlert;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventSerializer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** A record as the pipeline's serializer writes it, applied by the bridge; what is not a job alert is skipped and counted. */
class AlertmanagerBridgeTest {
    private static final Instant T = Instant.parse("2026-12-01T02:14:07Z");
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Incidents incidents = new Incidents();
    private final AlertmanagerBridge bridge = new AlertmanagerBridge(URI.create("http://127.0.0.1:9/api/v2/alerts"),
            Duration.ofSeconds(1), incidents, new AlertmanagerAlerts("critical", Duration.ofMinutes(4)), null, meters,
            Clock.systemUTC());

    /** The headers and value of {@code event} in CloudEvents binary mode (what the producer puts on the topic). */
    private record Wire(Function<String, String> header, byte[] value) { }

    private static Wire wire(CloudEvent event) {
        RecordHeaders headers = new RecordHeaders();
        try (CloudEventSerializer serializer = new CloudEventSerializer()) {
            serializer.configure(Map.of("cloudevents.serializer.encoding", "BINARY"), false);
            byte[] value = serializer.serialize("veeam.em.job.alerts", headers, event);
            return new Wire(name -> {
                Header h = headers.lastHeader(name);
                return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
            }, value);
        }
    }

    private double skipped() {
        return meters.find("vse.alertmanager.skipped.records").counter().count();
    }

    @Test
    void givenProducedRecords_whenApplied_thenTheIncidentHoldsTheProducersJobAlert() {
        JobAlert failed = TestJobAlerts.failed("job-a", "A", T);
        JobAlert resolved = TestJobAlerts.resolved(failed, T.plusSeconds(600));
        Wire f = wire(TestJobAlerts.event(failed));

        assertThat(bridge.apply("job-a", 0, 3, f.header(), f.value())).isEqualTo("job-a");
        assertThat(incidents.get("job-a").orElseThrow().latest()).isEqualTo(failed);
        assertThat(incidents.openKeys()).containsExactly("job-a");

        Wire r = wire(TestJobAlerts.event(resolved));
        bridge.apply("job-a", 0, 4, r.header(), r.value());

        assertThat(incidents.get("job-a").orElseThrow().latest()).isEqualTo(resolved);
        assertThat(incidents.openKeys()).isEmpty();
        assertThat(skipped()).isZero();
    }

    @Test
    void givenRecordsThatAreNotJobAlerts_whenApplied_thenSkippedAndCounted_andATombstoneApplies() {
        Wire f = wire(TestJobAlerts.event(TestJobAlerts.failed("job-a", "A", T)));
        Function<String, String> sessionType = name -> name.equals("ce_type") ? "em.session.failed.v1" : f.header().apply(name);

        assertThat(bridge.apply("job-a", 0, 1, sessionType, f.value())).isNull();
        assertThat(bridge.apply("job-a", 0, 2, f.header(), "{\"status\":\"failed\",\"failedAt\":\"now\"}".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(bridge.apply(null, 0, 3, f.header(), f.value())).isNull();
        assertThat(skipped()).isEqualTo(3.0);
        assertThat(incidents.get("job-a")).isEmpty();

        // no headers at all, a ce_time that is not one: the value alone decides
        assertThat(bridge.apply("job-a", 0, 4, name -> name.equals("ce_time") ? "yesterday" : null, f.value())).isEqualTo("job-a");
        assertThat(incidents.openKeys()).containsExactly("job-a");
        assertThat(bridge.apply("job-a", 0, 5, f.header(), null)).isEqualTo("job-a");
        assertThat(incidents.openKeys()).isEmpty();
    }
}

package dev.vse.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.cloudevents.kafka.CloudEventSerializer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class CloudEventMapperTest {
    private final CloudEventMapper mapper = new CloudEventMapper();

    @Test
    void givenFailedEvent_whenMapped_thenEnvelopeCarriesIdSourceTypeSubjectTime() {
        SessionEvent e = TestEvents.failed();

        CloudEvent ce = mapper.toCloudEvent(e);

        assertThat(ce.getSpecVersion().toString()).isEqualTo("1.0");
        assertThat(ce.getId()).isEqualTo(e.id());
        assertThat(ce.getSource()).isEqualTo(URI.create("https://em01:9398/api"));
        assertThat(ce.getType()).isEqualTo("em.session.failed.v1");
        assertThat(ce.getSubject()).isEqualTo(TestEvents.UID);
        assertThat(ce.getTime()).isEqualTo(TestEvents.ENDED.atOffset(ZoneOffset.UTC));
        assertThat(ce.getDataContentType()).isEqualTo("application/json");
        assertThat(ce.getData().toBytes()).isEqualTo(EventJson.toJson(e));
    }

    @Test
    void givenCloudEvent_whenSerialisedForKafkaInBinaryMode_thenContractHeadersAndRoundTrip() {
        SessionEvent e = TestEvents.failed();
        Headers headers = new RecordHeaders();
        byte[] value;
        try (CloudEventSerializer serializer = new CloudEventSerializer()) {
            serializer.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, "BINARY"), false);
            value = serializer.serialize("veeam.em.session.failed", headers, mapper.toCloudEvent(e));
        }

        assertThat(header(headers, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(headers, "ce_id")).isEqualTo(e.id());
        assertThat(header(headers, "ce_source")).isEqualTo("https://em01:9398/api");
        assertThat(header(headers, "ce_type")).isEqualTo("em.session.failed.v1");
        assertThat(header(headers, "ce_subject")).isEqualTo(TestEvents.UID);
        assertThat(header(headers, "ce_time")).isEqualTo("2025-08-15T20:00:24.003406Z");
        assertThat(header(headers, "content-type")).isEqualTo("application/json");
        try (CloudEventDeserializer deserializer = new CloudEventDeserializer()) {
            CloudEvent decoded = deserializer.deserialize("veeam.em.session.failed", headers, value);
            assertThat(mapper.fromCloudEvent(decoded)).isEqualTo(e);
        }
    }

    private static String header(Headers headers, String name) {
        return headers.lastHeader(name) == null ? null
                : new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}

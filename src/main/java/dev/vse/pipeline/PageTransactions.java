package dev.vse.pipeline;

import dev.vse.detect.KafkaStateStore;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventSerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.component.kafka.KafkaHeaderFilterStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Publishing with {@code STATE_STORE=kafka} (bean {@code pageTransactions}, routes/publish.yaml): a page's records
 * (events, job alerts) and its state records (snapshots, job incidents) in one Kafka transaction of the EM's
 * producer ({@link KafkaStateStore#commitWithRecords}). The records are the ones camel-kafka sends with the file
 * store: same topic, key, {@link CloudEventSerializer} in binary mode ({@code ce_*} headers, {@code content-type}),
 * so consumers cannot tell the two apart. The page was fetched before the transaction begins, and the transaction
 * ends before this returns: none is ever open across an EM request. A failure aborts the transaction and fails the
 * cycle (routes/errors.yaml), like a Kafka outage with the file store; the next cycle reads the window again.
 */
public final class PageTransactions {
    private final KafkaStateStore store;
    private final CloudEventSerializer serializer = new CloudEventSerializer();
    private final HeaderFilterStrategy headers = new KafkaHeaderFilterStrategy();

    /** @param store the Kafka store; null with the file store (then {@link #publish} is never called) */
    public PageTransactions(KafkaStateStore store) {
        this.store = store;
        serializer.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, "BINARY"), false);
    }

    /** Sends the page's records and commits its state, in one transaction; the commit step after it writes nothing. */
    public void publish(@ExchangeProperty(DetectedPage.PROPERTY) DetectedPage page, List<Message> records) {
        if (store == null) {
            throw new IllegalStateException("page transactions need STATE_STORE=kafka");
        }
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>(records.size());
        for (Message m : records) {
            out.add(record(m));
        }
        store.commitWithRecords(page.cycle().emId(), out, page.pending(), page.incidents());
    }

    /** One event's record: topic and key from the message, the CloudEvent serialised in binary mode. */
    ProducerRecord<String, byte[]> record(Message m) {
        String topic = m.getHeader(KafkaConstants.OVERRIDE_TOPIC, String.class);
        String key = m.getHeader(KafkaConstants.KEY, String.class);
        RecordHeaders h = new RecordHeaders();
        // headers camel-kafka would propagate (none of ours: kafka.* and Camel* are filtered)
        m.getHeaders().forEach((name, value) -> {
            if (value instanceof String s && !headers.applyFilterToCamelHeaders(name, value, m.getExchange())) {
                h.add(name, s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        });
        byte[] value = serializer.serialize(topic, h, m.getBody(CloudEvent.class));
        return new ProducerRecord<>(topic, null, key, value, h);
    }
}

package dev.vse.pipeline;

import dev.vse.event.CloudEventMapper;
import dev.vse.event.JobAlert;
import dev.vse.event.SessionEvent;
import dev.vse.event.Topics;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

/**
 * Builds the Kafka record of an event: key, topic (by record type) and the CloudEvent as the body, which the publish
 * route sends in binary mode. Thread-safe.
 */
public final class EventRecords {
    private final CamelContext camel;
    private final CloudEventMapper mapper;
    private final Topics topics;

    public EventRecords(CamelContext camel, CloudEventMapper mapper, Topics topics) {
        this.camel = camel;
        this.mapper = mapper;
        this.topics = topics;
    }

    /** A session record: key = session UID, topic by event type. */
    public Message of(SessionEvent e) {
        return message(e.key(), topics.of(e.type()), mapper.toCloudEvent(e));
    }

    /** A job alert: key = job UID, the job alerts topic. */
    public Message of(JobAlert a) {
        return message(a.key(), topics.jobAlerts(), mapper.toCloudEvent(a));
    }

    /** What the record weighs on the wire, roughly (key, data, attributes). */
    public static int size(Message record) {
        return RecordSize.of(record);
    }

    public Topics topics() {
        return topics;
    }

    private Message message(String key, String topic, Object body) {
        Message m = new DefaultMessage(camel);
        m.setHeader(KafkaConstants.KEY, key);
        m.setHeader(KafkaConstants.OVERRIDE_TOPIC, topic);
        m.setBody(body);
        return m;
    }
}

package dev.vse.pipeline;

import io.cloudevents.CloudEvent;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

/** What a record weighs on the wire, roughly: key, data and the text of every CloudEvent attribute (UTF-8 worst case). */
final class RecordSize {
    private RecordSize() { }

    static int of(Message m) {
        CloudEvent ce = m.getBody(CloudEvent.class);
        String key = m.getHeader(KafkaConstants.KEY, String.class);
        long n = key == null ? 0 : key.length() * 3L;
        if (ce != null) {
            n += ce.getData() == null ? 0 : ce.getData().toBytes().length;
            for (String a : ce.getAttributeNames()) {
                n += text(a, ce.getAttribute(a));
            }
            for (String x : ce.getExtensionNames()) {
                n += text(x, ce.getExtension(x));
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, n);
    }

    private static long text(String name, Object value) {
        return name.length() + 3L + (value == null ? 0 : value.toString().length() * 3L);
    }
}

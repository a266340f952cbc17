package dev.vse.pipeline;

import dev.vse.detect.SessionSnapshot;
import dev.vse.event.SessionEvent;
import java.util.List;
import org.apache.camel.Message;

/**
 * One page after detection, carried through publish and commit as one value (exchange property
 * {@value #PROPERTY}): the Kafka records to send, the snapshots that may be stored once Kafka acknowledged them,
 * and the sessions to park in the DLQ.
 *
 * @param cycle   the cycle the page belongs to
 * @param request the EM request that returned it
 * @param events  the events, in publication order
 * @param records one Kafka record per event (key = session UID, topic by event type, body = CloudEvent)
 * @param pending snapshots to commit after the acknowledgement
 * @param parked  sessions that could not be processed
 */
public record DetectedPage(Cycle cycle, String request, List<SessionEvent> events, List<Message> records,
                           List<SessionSnapshot> pending, List<ParkedSession> parked) {
    /** Exchange property holding the page between detection and commit. */
    public static final String PROPERTY = "vse.page";
}

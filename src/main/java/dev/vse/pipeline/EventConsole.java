package dev.vse.pipeline;

import dev.vse.event.SessionEvent;
import java.util.List;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One console line per published event (demo and troubleshooting; {@code events.console=true}). */
public final class EventConsole {
    private static final Logger LOG = LoggerFactory.getLogger("events");
    private final ChangeStage stage;
    private final boolean enabled;

    public EventConsole(ChangeStage stage, boolean enabled) {
        this.stage = stage;
        this.enabled = enabled;
    }

    public void print(Exchange exchange) {
        if (!enabled) {
            return;
        }
        @SuppressWarnings("unchecked")
        List<SessionEvent> events = exchange.getProperty(ChangeStage.EVENTS, List.class);
        if (events == null) {
            return;
        }
        for (SessionEvent e : events) {
            LOG.info(String.format("%-27s key=%s type=%s job=\"%s\" %s/%s%s", stage.topicOf(e), e.key(), e.type().ceType(),
                    e.jobName(), e.state(), e.result(), Boolean.TRUE.equals(e.isRetry()) ? " (retry)" : ""));
        }
    }
}

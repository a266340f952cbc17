package dev.vse.pipeline;

import dev.vse.event.JobAlert;
import dev.vse.event.SessionEvent;
import org.apache.camel.ExchangeProperty;
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

    public void print(@ExchangeProperty(DetectedPage.PROPERTY) DetectedPage page) {
        if (!enabled) {
            return;
        }
        for (SessionEvent e : page.events()) {
            LOG.info(String.format("%-27s key=%s type=%s job=\"%s\" %s/%s%s", stage.topicOf(e), e.key(), e.type().ceType(),
                    e.jobName(), e.state(), e.result(), Boolean.TRUE.equals(e.isRetry()) ? " (retry)" : ""));
        }
        for (JobAlert a : page.alerts()) {
            LOG.info(String.format("%-27s key=%s type=%s job=\"%s\" attempts=%d%s", stage.topicOf(a), a.key(),
                    a.status().ceType(), a.jobName(), a.attempts(),
                    a.failureMessage() == null ? "" : " \"" + a.failureMessage() + "\""));
        }
    }
}

package dev.vse.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Everything the process logs, from every logger (root appender, configured levels kept; the project's own
 * loggers at DEBUG): each event as {@code LEVEL logger - message}, plus the class and message of every
 * throwable in the cause chain of a logged exception.
 */
public final class AllLogs implements AutoCloseable {
    /** One log event. */
    public record Line(String level, String logger, String message, List<String> thrown) {
        public String text() {
            return level + " " + logger + " - " + message + (thrown.isEmpty() ? "" : " | " + String.join(" | ", thrown));
        }
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final AbstractAppender appender;
    private final Level previousProjectLevel;

    public AllLogs() {
        appender = new AbstractAppender("all-logs-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                List<String> chain = new ArrayList<>();
                for (Throwable t = event.getThrown(); t != null && chain.size() < 20; t = t.getCause() == t ? null : t.getCause()) {
                    chain.add(t.toString());
                }
                lines.add(new Line(event.getLevel().name(), event.getLoggerName(),
                        event.getMessage().getFormattedMessage(), chain));
            }
        };
        appender.start();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        previousProjectLevel = ctx.getConfiguration().getLoggerConfig("dev.vse").getLevel();
        Configurator.setLevel("dev.vse", Level.DEBUG);
        ctx.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
        ctx.updateLoggers();
    }

    public List<Line> lines() { return lines; }

    /** Whole text of every event, one per line. */
    public String all() {
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l.text()).append('\n'));
        return sb.toString();
    }

    public List<Line> containing(String text) {
        return lines.stream().filter(l -> l.message().contains(text)).toList();
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        LoggerConfig root = ctx.getConfiguration().getRootLogger();
        root.removeAppender(appender.getName());
        Configurator.setLevel("dev.vse", previousProjectLevel);
        ctx.updateLoggers();
        appender.stop();
    }
}

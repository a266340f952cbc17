package dev.vse.em.support;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** Captures what one package logs (through SLF4J to Log4j 2), as {@code LEVEL message} lines. */
public final class LogCapture implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final String loggerName;
    private final AbstractAppender appender;

    private LogCapture(String loggerName) {
        this.loggerName = loggerName;
        this.appender = new AbstractAppender("capture-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                String thrown = event.getThrown() == null ? "" : " " + event.getThrown();
                lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage() + thrown);
            }
        };
        appender.start();
        Configurator.setLevel(loggerName, Level.DEBUG);
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration cfg = ctx.getConfiguration();
        LoggerConfig lc = cfg.getLoggerConfig(loggerName);
        lc.addAppender(appender, Level.ALL, null);
        ctx.updateLoggers();
    }

    /** Starts capturing everything logged under {@code loggerName} (a class or package name). */
    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    public List<String> lines() { return lines; }

    public String all() { return String.join("\n", lines); }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getLoggerConfig(loggerName).removeAppender(appender.getName());
        ctx.updateLoggers();
        appender.stop();
    }
}

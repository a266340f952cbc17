package dev.vse.simulator;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.lang.reflect.Field;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a response carry the simulator clock's {@code Date} (RFC 1123), so that clients can measure the clock
 * skew of the "EM".
 *
 * <p>JDK quirk: the JDK 17 server (sun.net.httpserver.ExchangeImpl.sendResponseHeaders) sets
 * {@code Date} to the host's {@code Instant.now()} unconditionally, overwriting any Date the handler set,
 * and the public API offers no way around it. So the exchange's response-header map is swapped for one whose
 * {@code Date} cannot be overwritten. That needs {@code --add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED}
 * (the launcher jar's manifest and the test JVMs carry it); without it the simulator still runs, says so once,
 * and its Date is the host's time, i.e. {@code --clock-offset} is not visible in the header.
 */
final class DateHeader {
    static final String OPEN = "--add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED";
    private static final Logger LOG = LoggerFactory.getLogger(DateHeader.class);
    /** IMF-fixdate (RFC 9110 5.6.7), what IIS in front of EM sends. */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private DateHeader() { }

    /** e.g. {@code Sun, 01 Mar 2026 12:00:00 GMT}. */
    static String format(Instant t) {
        return IMF_FIXDATE.format(t);
    }

    /** Makes the Date of {@code ex}'s response {@code clock}'s time when it is sent; call before setting headers. */
    static void pin(HttpExchange ex, SimClock clock) {
        try {
            Object impl = field(ex.getClass(), "impl").get(ex); // Http(s)ExchangeImpl wraps an ExchangeImpl
            Field headers = field(impl.getClass(), "rspHdrs");
            PinnedDate pinned = new PinnedDate(clock);
            pinned.putAll((Headers) headers.get(impl));
            headers.set(impl, pinned);
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (WARNED.compareAndSet(false, true)) {
                LOG.warn("simulator: the Date header shows this host's clock, not the simulator's ({}); start the JVM "
                        + "with {} for that", e.getClass().getSimpleName(), OPEN);
            }
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }

    /** Response headers whose Date is always the simulator clock's, whatever the JDK server sets. */
    private static final class PinnedDate extends Headers {
        private final SimClock clock;

        PinnedDate(SimClock clock) {
            this.clock = clock;
        }

        @Override
        public void set(String key, String value) {
            super.set(key, "Date".equalsIgnoreCase(key) ? format(clock.now()) : value);
        }
    }
}

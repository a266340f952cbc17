package dev.vse.observe;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which EMs this instance polls (bean {@code emOwnership}; the poll route's filter asks {@link #owns}). Without a
 * cluster service every configured EM is owned from the start. An EM is given up ({@link #release}) when its state
 * producer was fenced (another instance took it: {@code STATE_STORE=kafka}) or when leadership moves elsewhere;
 * {@link #take} makes it owned again (the Kafka store then reads its partition back on first use). Listeners hear
 * of both (the state store closes its producer, the status board reports it). One log line per release.
 * Thread-safe.
 */
public final class EmOwnership {
    private static final Logger LOG = LoggerFactory.getLogger(EmOwnership.class);

    private final Set<String> released = ConcurrentHashMap.newKeySet();
    private final List<BiConsumer<String, String>> onRelease = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> onTake = new CopyOnWriteArrayList<>();

    /** Whether this instance polls the EM now. */
    public boolean owns(String emId) {
        return !released.contains(emId);
    }

    /** Gives the EM up (leadership lost): polling stops at the next tick. */
    public void release(String emId) {
        release(emId, "released by this instance");
    }

    /** Gives the EM up for {@code reason}; a second call for an EM already given up changes nothing. */
    public void release(String emId, String reason) {
        if (released.add(emId)) {
            LOG.warn("EM {}: given up, no longer polled by this instance: {}", emId, reason);
            onRelease.forEach(l -> l.accept(emId, reason));
        }
    }

    /** Takes the EM (again), e.g. on gaining leadership: polled from the next tick. */
    public void take(String emId) {
        if (released.remove(emId)) {
            LOG.info("EM {}: taken, polled by this instance", emId);
            onTake.forEach(l -> l.accept(emId));
        }
    }

    public void onRelease(BiConsumer<String, String> listener) {
        onRelease.add(listener);
    }

    public void onTake(Consumer<String> listener) {
        onTake.add(listener);
    }
}

package dev.vse.cluster;

import dev.vse.detect.StateStore;
import dev.vse.observe.EmOwnership;
import dev.vse.observe.EmStatusBoard;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hand-over of one EM between instances, on its poll route (started and stopped by the clustered route
 * policy): when the route starts this instance leads the EM (one log line; the EM leaves standby, and its first
 * cycle reads watermarks and tracked sessions from the store); when it stops after the running cycle ended, the
 * leadership was lost: the EM's state is released (file store: its files closed, its folder lock dropped, so the
 * new leader can open it; the Kafka store: its producer closed, its state forgotten, so that it is read afresh when
 * this instance leads the EM again), the EM goes back to standby, one log line. Taking the lead also takes the EM
 * back from a give-up after fencing ({@link EmOwnership}): the new lead's {@code initTransactions()} fences the
 * other side now.
 *
 * <p>A leader whose producer is fenced while it still leads (an instance without cluster service, or a stale
 * leader, initialised the same transactional id) takes the EM back after {@code retakeAfter} (CLUSTER_LEASE) if it
 * still leads it then: leadership decides who polls. The intruder is fenced in turn and, not leading, does not take
 * the EM back; a stale leader stops when it notices the loss (before a lease has passed). Without this the EM
 * would stay unpolled once the intruder went away: its leader keeps the leadership, but had given the EM up.
 */
final class LeadershipHandover extends RoutePolicySupport {
    private static final Logger LOG = LoggerFactory.getLogger(LeadershipHandover.class);

    private final String emId;
    private final String namespace;
    private final String instanceId;
    private final StateStore store;
    private final EmStatusBoard board;
    private final EmOwnership ownership;
    private final AtomicBoolean closing;
    private final ScheduledExecutorService retakes;
    private final Duration retakeAfter;
    private volatile boolean leading;

    LeadershipHandover(String emId, String namespace, String instanceId, StateStore store, EmStatusBoard board,
                       EmOwnership ownership, AtomicBoolean closing, ScheduledExecutorService retakes,
                       Duration retakeAfter) {
        this.ownership = ownership;
        this.retakes = retakes;
        this.retakeAfter = retakeAfter;
        this.emId = emId;
        this.namespace = namespace;
        this.instanceId = instanceId;
        this.store = store;
        this.board = board;
        this.closing = closing;
        if (ownership != null) {
            ownership.onRelease((em, why) -> {
                if (em.equals(emId)) {
                    givenUp(why);
                }
            });
        }
    }

    /** The EM was given up (fenced) while this instance may still lead it: take it back after a lease if so. */
    private void givenUp(String why) {
        if (!leading || closing.get() || retakes == null) {
            return;
        }
        LOG.info("EM {}: given up while this instance leads it ({}); taken back in {}s if it still leads it then",
                emId, namespace, retakeAfter.toSeconds());
        retakes.schedule(() -> {
            if (leading && !closing.get() && !ownership.owns(emId)) {
                LOG.info("EM {}: still led by instance {} ({}): taken back, its producer fences the other one",
                        emId, instanceId, namespace);
                ownership.take(emId);
            }
        }, retakeAfter.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onStart(Route route) {
        leading = true;
        board.leading(emId, true);
        if (ownership != null) {
            ownership.take(emId);
        }
        LOG.info("EM {}: leadership taken ({}), instance {} polls it now", emId, namespace, instanceId);
    }

    @Override
    public void onStop(Route route) {
        leading = false;
        board.leading(emId, false);
        try {
            store.release(emId);
        } catch (RuntimeException e) {
            LOG.warn("EM {}: state not released cleanly: {}", emId, e.getMessage());
        }
        if (!closing.get() && !route.getCamelContext().isStopping()) {
            LOG.info("EM {}: leadership lost ({}), instance {} stopped polling it and released its state", emId, namespace, instanceId);
        }
    }
}

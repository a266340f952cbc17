package dev.vse.cluster;

import dev.vse.detect.StateStore;
import dev.vse.observe.EmOwnership;
import dev.vse.observe.EmStatusBoard;
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

    LeadershipHandover(String emId, String namespace, String instanceId, StateStore store, EmStatusBoard board,
                       EmOwnership ownership, AtomicBoolean closing) {
        this.ownership = ownership;
        this.emId = emId;
        this.namespace = namespace;
        this.instanceId = instanceId;
        this.store = store;
        this.board = board;
        this.closing = closing;
    }

    @Override
    public void onStart(Route route) {
        board.leading(emId, true);
        if (ownership != null) {
            ownership.take(emId);
        }
        LOG.info("EM {}: leadership taken ({}), instance {} polls it now", emId, namespace, instanceId);
    }

    @Override
    public void onStop(Route route) {
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

package dev.vse.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spreads the EMs over the instances of a file cluster (FileLockClusterService alone lets the first instance take
 * every lock). Every heartbeat interval, with {@code n} live instances ({@link FileMembers}) and {@code k} EMs, an
 * instance's share is {@code ceil(k / n)}:
 * <ul>
 *   <li>leading fewer than its share: it competes for every EM (its views run; an EM whose leader is alive stays
 *       with it, a free EM or one whose leader's heartbeat stood still for the lease is taken);</li>
 *   <li>leading exactly its share: it stands back, i.e. stops the views of the EMs it does not lead, so it
 *       takes no more;</li>
 *   <li>leading more (it started first, or an instance joined): it releases the extra EMs (stops their views:
 *       the poll route stops, the lock and the state are released) and stands back from them.</li>
 * </ul>
 * The shares of the live instances add up to at least {@code k}, so an EM without a leader always has an instance
 * below its share competing for it.
 */
final class FileSpreading extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(FileSpreading.class);

    private final CamelClusterService service;
    private final FileMembers members;
    private final List<String> namespaces;
    private final long periodMillis;
    private final java.util.function.Consumer<String> beforeRelease;
    private final Set<String> standingBack = new HashSet<>();
    private ScheduledExecutorService timer;
    private int lastLive = -1;

    FileSpreading(CamelClusterService service, FileMembers members, List<String> namespaces, long periodMillis,
                  java.util.function.Consumer<String> beforeRelease) {
        this.service = service;
        this.beforeRelease = beforeRelease;
        this.members = members;
        this.namespaces = namespaces.stream().sorted().toList();
        this.periodMillis = periodMillis;
    }

    @Override
    protected void doStart() throws Exception {
        members.join();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cluster-spreading");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::safeReconcile, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timer = null;
        }
        members.close();
    }

    private void safeReconcile() {
        try {
            reconcile();
        } catch (Exception e) {
            LOG.warn("spreading the EMs over the instances failed this time: {}", e.toString());
        }
    }

    synchronized void reconcile() throws Exception {
        int live = members.live().size();
        int share = share(namespaces.size(), live);
        if (live != lastLive) {
            LOG.info("cluster: {} live instance(s), this instance's share is {} of {} EM(s)", live, share, namespaces.size());
            lastLive = live;
        }
        List<String> owned = new ArrayList<>();
        for (String ns : namespaces) {
            if (!standingBack.contains(ns) && service.isLeader(ns)) {
                owned.add(ns);
            }
        }
        if (owned.size() > share) {
            for (String ns : owned.subList(share, owned.size())) {
                LOG.info("{}: released, this instance leads more than its share ({} of {} EMs over {} live instances)",
                        ns, owned.size(), namespaces.size(), live);
                // the EM's routes stop (after the running cycle) while this instance still holds the lock
                beforeRelease.accept(ns);
                standBack(ns);
            }
            owned = owned.subList(0, share);
        }
        if (owned.size() >= share) {
            for (String ns : namespaces) {
                if (!owned.contains(ns) && !standingBack.contains(ns)) {
                    standBack(ns);
                }
            }
        } else {
            for (String ns : new ArrayList<>(standingBack)) {
                service.startView(ns);
                standingBack.remove(ns);
            }
        }
    }

    private void standBack(String ns) throws Exception {
        service.stopView(ns);
        standingBack.add(ns);
    }

    /** {@code ceil(ems / instances)}. */
    static int share(int ems, int instances) {
        return instances <= 0 ? ems : (ems + instances - 1) / instances;
    }
}

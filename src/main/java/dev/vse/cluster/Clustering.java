package dev.vse.cluster;

import dev.vse.detect.StateStore;
import dev.vse.observe.EmOwnership;
import dev.vse.observe.EmStatusBoard;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.support.cluster.RebalancingCamelClusterService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One active poller per EM: a Camel cluster service (file locks or Kubernetes Leases) with one namespace per EM
 * ({@link ClusterSettings#namespace}); the EM's poll and heartbeat routes carry a {@link ClusteredRoutePolicy} of
 * that namespace, so they run only on the instance that leads it. The poll route also carries an
 * {@link LeadershipHandover}, which logs the change and hands the EM's state over (released on loss, read afresh on gain).
 */
public final class Clustering {
    private static final Logger LOG = LoggerFactory.getLogger(Clustering.class);
    /** Label the Kubernetes service lists the pods of its cluster by (the Deployment's pods carry it). */
    public static final Map<String, String> KUBERNETES_LABELS = Map.of("app.kubernetes.io/name", "veeam-session-events");

    private final ClusterSettings settings;
    private final CamelClusterService service;
    private final Map<String, ClusteredRoutePolicy> policies = new HashMap<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Takes a fenced EM back while this instance still leads it ({@link LeadershipHandover}). */
    private final java.util.concurrent.ScheduledExecutorService retakes =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cluster-retake");
                t.setDaemon(true);
                return t;
            });

    private Clustering(ClusterSettings settings, CamelClusterService service) {
        this.settings = settings;
        this.service = service;
    }

    /**
     * Creates the cluster service of {@code settings} and adds it (and, for the file service, the spreading of the
     * EMs) to {@code camel}'s services, started with the context.
     */
    public static Clustering install(CamelContext camel, ClusterSettings settings, List<String> emIds) throws Exception {
        Clustering[] self = new Clustering[1];
        List<String> namespaces = emIds.stream().map(ClusterSettings::namespace).toList();
        CamelClusterService service = switch (settings.service()) {
            case FILE -> fileService(settings);
            case KUBERNETES -> kubernetesService(camel, settings, settings.kubernetesNamespace(), null);
            case NONE -> throw new IllegalArgumentException("CLUSTER_SERVICE=none has no cluster service");
        };
        service.setId(settings.instanceId());
        service.setCamelContext(camel);
        camel.addService(service, true, true);
        if (settings.service() == ClusterSettings.Kind.FILE) {
            camel.addService(new FileSpreading(service, new FileMembers(settings.fileRoot(), settings.instanceId()),
                    namespaces, settings.heartbeatInterval().toMillis(), ns -> self[0].stepDown(ns)), true, true);
        }
        LOG.info("cluster service {} (instance {}, lease {}s{}): one active poller per EM, namespaces {}",
                settings.service().name().toLowerCase(java.util.Locale.ROOT), settings.instanceId(), settings.lease().toSeconds(),
                settings.service() == ClusterSettings.Kind.FILE ? ", folder " + settings.fileRoot().toAbsolutePath()
                        : settings.kubernetesNamespace() == null ? "" : ", Kubernetes namespace " + settings.kubernetesNamespace(),
                namespaces);
        self[0] = new Clustering(settings, service);
        return self[0];
    }

    /**
     * Stops the routes of the EM of {@code namespace} as if its leadership were lost, before the view is stopped and
     * the lock released: Camel 4.18's FileLockClusterView tells its listeners nothing when it is stopped, and its
     * ClusteredRoutePolicy reads the leadership from the view (still leader until the view stops). So the policy is
     * told directly (its private setLeader, the method its own leadership listener calls).
     */
    void stepDown(String namespace) {
        ClusteredRoutePolicy p;
        synchronized (this) {
            p = policies.entrySet().stream().filter(e -> ClusterSettings.namespace(e.getKey()).equals(namespace))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
        if (p == null) {
            return;
        }
        try {
            java.lang.reflect.Method setLeader = ClusteredRoutePolicy.class.getDeclaredMethod("setLeader", boolean.class);
            setLeader.setAccessible(true);
            setLeader.invoke(p, false);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("{}: routes not stopped before the release ({}); they stop when the view reports the loss", namespace, e.toString());
        }
    }

    /** FileLockClusterService on CLUSTER_FILE_ROOT: heartbeat every lease / 5, a leader silent for the lease is stale. */
    static FileLockClusterService fileService(ClusterSettings s) {
        FileLockClusterService f = new FileLockClusterService();
        f.setRoot(s.fileRoot().toAbsolutePath().toString());
        f.setAcquireLockInterval(s.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
        f.setHeartbeatTimeoutMultiplier(ClusterSettings.HEARTBEAT_MULTIPLIER);
        f.setAcquireLockDelay(Math.min(1000, s.heartbeatInterval().toMillis()), TimeUnit.MILLISECONDS);
        return f;
    }

    /**
     * KubernetesClusterService on Lease objects (coordination.k8s.io), lease duration CLUSTER_LEASE, renewal deadline
     * two thirds of it, retries every fifth; wrapped in Camel's rebalancing service so the EMs spread evenly over the
     * pods. {@code client} null: the fabric8 client's own configuration (in a pod: its service account).
     */
    public static RebalancingCamelClusterService kubernetesService(CamelContext camel, ClusterSettings s, String namespace,
                                                                    io.fabric8.kubernetes.client.KubernetesClient client) {
        org.apache.camel.component.kubernetes.KubernetesConfiguration conf = new org.apache.camel.component.kubernetes.KubernetesConfiguration();
        if (client != null) {
            conf.setKubernetesClient(client);
        }
        KubernetesClusterService k = new KubernetesClusterService(conf);
        k.setLeaseResourceType(LeaseResourceType.Lease);
        k.setKubernetesResourceName("veeam-session-events");
        if (namespace != null) {
            // the pods are listed there, and the Lease objects live there
            k.setKubernetesNamespace(namespace);
            k.setKubernetesResourcesNamespace(namespace);
        }
        k.setPodName(s.instanceId());
        k.setClusterLabels(KUBERNETES_LABELS);
        long lease = s.lease().toMillis();
        k.setLeaseDurationMillis(lease);
        k.setRenewDeadlineMillis(lease * 2 / 3);
        k.setRetryPeriodMillis(lease / 5);
        k.setId(s.instanceId());
        return new RebalancingCamelClusterService(camel, k, lease / 5);
    }

    public CamelClusterService service() {
        return service;
    }

    /**
     * The policies of EM {@code emId}'s routes: the clustered route policy of its namespace (one instance per EM,
     * shared by its poll and heartbeat routes) and, for the poll route, the ownership hand-over.
     */
    public List<RoutePolicy> pollPolicies(CamelContext camel, String emId, StateStore store, EmStatusBoard board) throws Exception {
        return List.of(policy(camel, emId), new LeadershipHandover(emId, ClusterSettings.namespace(emId),
                settings.instanceId(), store, board,
                camel.getRegistry().lookupByNameAndType("emOwnership", EmOwnership.class), closing, retakes,
                settings.lease()));
    }

    public List<RoutePolicy> heartbeatPolicies(CamelContext camel, String emId) throws Exception {
        return List.of(policy(camel, emId));
    }

    private synchronized ClusteredRoutePolicy policy(CamelContext camel, String emId) throws Exception {
        ClusteredRoutePolicy p = policies.get(emId);
        if (p == null) {
            p = ClusteredRoutePolicy.forNamespace(service, ClusterSettings.namespace(emId));
            p.setCamelContext(camel);
            policies.put(emId, p);
        }
        return p;
    }

    /** From now on a stopping poll route is the shutdown, not a lost leadership. */
    public void closing() {
        closing.set(true);
        retakes.shutdownNow();
    }

    public static Path membersDir(Path root) {
        return root.resolve("members");
    }
}

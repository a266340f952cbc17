package dev.vse.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.support.cluster.RebalancingCamelClusterService;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * CLUSTER_SERVICE=kubernetes against a stand-in Kubernetes API server: fabric8's mock server in CRUD mode (Leases and
 * Pods are stored and served like an API server would; it is not a real cluster: no kubelet, no pod lifecycle). Two
 * Camel contexts ("pods" pod-a and pod-b) run the service exactly as {@link Clustering#kubernetesService} builds it
 * (Lease objects, Camel's rebalancing wrapper) with a clustered route policy per EM namespace on a stand-in poll route.
 *
 * <p>Checked: one leader per EM, the four EMs spread 2/2, one Lease per EM held by its leader; then pod-a is cut off
 * from the API server (a partition; its Pod object deleted, as Kubernetes does for a dead pod): its routes stop when it
 * cannot renew, and pod-b takes its EMs only after the lease (the new leadership becomes effective a lease duration
 * after it was acquired), never while pod-a still ran them.
 */
@EnableKubernetesMockClient(https = false, crud = true)
class KubernetesLeaseIT {
    static final String NS = "vse-test";
    static final Duration LEASE = Duration.ofSeconds(4);
    static final List<String> EMS = List.of("em01", "em02", "em03", "em04");

    KubernetesMockServer server;
    KubernetesClient client;
    final List<CamelContext> contexts = new ArrayList<>();
    /** "pod/em" → tick times (nanos) of the stand-in poll route. */
    final Map<String, ConcurrentLinkedQueue<Long>> ticks = new ConcurrentHashMap<>();

    @AfterEach
    void stop() {
        contexts.forEach(CamelContext::stop);
    }

    @Test
    void twoContexts_oneLeaderPerEm_spreadEvenly_takeoverAfterTheLeaseWhenTheLeaderIsCutOff() throws Exception {
        URI api = URI.create(client.getMasterUrl().toString());
        for (String pod : List.of("pod-a", "pod-b")) {
            client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(pod)
                    .addToLabels(Clustering.KUBERNETES_LABELS).endMetadata()
                    // the service counts ready pods only
                    .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition()
                    .addNewContainerStatus().withName("pipeline").withReady(true).endContainerStatus().endStatus().build()).create();
        }
        try (CuttableProxy toA = new CuttableProxy(api.getHost(), api.getPort())) {
            CamelContext a = context("pod-a", "http://" + api.getHost() + ":" + toA.port() + "/");
            CamelContext b = context("pod-b", client.getMasterUrl().toString());

            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                    leaders(List.of(a, b)).size() == EMS.size()
                            && leaders(List.of(a, b)).values().stream().filter("pod-a"::equals).count() == 2);
            Map<String, String> before = leaders(List.of(a, b));
            System.out.println("KubernetesLeaseIT: leaders " + before);
            Map<String, String> holders = new TreeMap<>();
            for (Lease l : client.resources(Lease.class).inNamespace(NS).list().getItems()) {
                holders.put(l.getMetadata().getName(), l.getSpec().getHolderIdentity());
            }
            System.out.println("KubernetesLeaseIT: Lease objects " + holders);
            for (String em : EMS) {
                assertThat(holders).as("Lease of %s", em).containsEntry(leaseName(em), before.get(em));
            }

            // pod-a is partitioned from the API server and its Pod object is gone
            long cutAt = System.nanoTime();
            toA.cut();
            client.pods().inNamespace(NS).withName("pod-a").delete();
            List<String> ofA = EMS.stream().filter(em -> before.get(em).equals("pod-a")).toList();
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                    ofA.stream().allMatch(em -> firstTickAfter("pod-b", em, cutAt) > 0));
            List<Long> takeovers = new ArrayList<>();
            for (String em : ofA) {
                long first = firstTickAfter("pod-b", em, cutAt);
                long lastOfA = ticks.get("pod-a/" + em).stream().mapToLong(Long::longValue).max().orElse(0);
                takeovers.add((first - cutAt) / 1_000_000);
                assertThat(lastOfA).as("pod-a stopped %s before pod-b started it", em).isLessThan(first);
            }
            System.out.println("KubernetesLeaseIT: take-over after the cut (ms) " + takeovers + ", lease " + LEASE.toMillis() + " ms");
            assertThat(takeovers).allSatisfy(ms -> assertThat(ms).isGreaterThanOrEqualTo(LEASE.toMillis())
                    .isLessThanOrEqualTo(LEASE.toMillis() * 5));
            assertThat(leaders(List.of(b))).hasSize(EMS.size());
        }
    }

    static String leaseName(String em) {
        return "veeam-session-events-" + ClusterSettings.namespace(em);
    }

    private long firstTickAfter(String pod, String em, long after) {
        return ticks.getOrDefault(pod + "/" + em, new ConcurrentLinkedQueue<>()).stream().filter(t -> t > after)
                .mapToLong(Long::longValue).min().orElse(0);
    }

    /** EM → the pod whose poll route runs it (only EMs that exactly one context runs). */
    private static Map<String, String> leaders(List<CamelContext> cs) {
        Map<String, String> out = new TreeMap<>();
        for (String em : EMS) {
            List<String> running = cs.stream().filter(c -> c.getRouteController().getRouteStatus("poll-" + em).isStarted())
                    .map(CamelContext::getName).toList();
            if (running.size() == 1) {
                out.put(em, running.get(0));
            }
        }
        return out;
    }

    private CamelContext context(String pod, String masterUrl) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        camel.getCamelContextExtension().setName(pod);
        ClusterSettings s = new ClusterSettings(ClusterSettings.Kind.KUBERNETES, LEASE, null, NS, pod);
        KubernetesClient podClient = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl(masterUrl).withNamespace(NS)
                        .withRequestTimeout(2000).withConnectionTimeout(1000).withRequestRetryBackoffLimit(0).build()).build();
        RebalancingCamelClusterService service = Clustering.kubernetesService(camel, s, NS, podClient);
        camel.addService(service, true, true);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() throws Exception {
                for (String em : EMS) {
                    from("timer:poll-" + em + "?period=100").routeId("poll-" + em)
                            .routePolicy(ClusteredRoutePolicy.forNamespace(service, ClusterSettings.namespace(em)))
                            .process(x -> ticks.computeIfAbsent(pod + "/" + em, k -> new ConcurrentLinkedQueue<>()).add(System.nanoTime()));
                }
            }
        });
        camel.start();
        contexts.add(camel);
        return camel;
    }
}

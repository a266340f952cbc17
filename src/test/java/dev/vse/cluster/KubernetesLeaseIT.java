package dev.vse.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.detect.KafkaStateStore;
import dev.vse.observe.EmOwnership;
import dev.vse.testkit.EmbeddedKafka;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
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
 * after it was acquired), never while pod-a still ran them. With the state in Kafka (the real broker, one
 * transactional producer per EM as the pipeline has): a split brain whose old leader writes after its lease passed is
 * fenced, its write never visible, the new leader's writes untouched.
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
        readyPods("pod-a", "pod-b");
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

    /**
     * Split brain with the state in Kafka: pod-a leads the EMs and writes their state (one transactional producer per
     * EM, as the pipeline does), then is cut off from the API server and its Pod deleted, as if frozen past its lease;
     * pod-b takes the EMs over after the lease and writes their state, which fences pod-a's producers. pod-a, thawed
     * and still believing it leads, then writes with the producer it had: that stale write is refused and never
     * becomes visible, and pod-b's writes go on.
     */
    @Test
    void splitBrain_theOldLeaderPausedPastItsLease_itsStaleWritesAreFenced() throws Exception {
        URI api = URI.create(client.getMasterUrl().toString());
        readyPods("pod-a", "pod-b");
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
             CuttableProxy toA = new CuttableProxy(api.getHost(), api.getPort())) {
            String topic = "state-" + java.util.UUID.randomUUID();
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get();
            Properties props = new Properties();
            props.put("bootstrap.servers", kafka.bootstrapServers());
            Map<String, KafkaStateStore> stores = new ConcurrentHashMap<>();
            Map<String, EmOwnership> owners = new ConcurrentHashMap<>();
            for (String pod : List.of("pod-a", "pod-b")) {
                KafkaStateStore store = new KafkaStateStore(props, topic, "vse-test-", Duration.ofSeconds(30));
                EmOwnership ownership = new EmOwnership();
                store.ownership(ownership::owns, ownership::release);  // as PipelineBeans wires them
                stores.put(pod, store);
                owners.put(pod, ownership);
            }
            Map<String, Long> lastWrite = new ConcurrentHashMap<>();
            CamelContext a = context("pod-a", "http://" + api.getHost() + ":" + toA.port() + "/",
                    em -> writeEvery500ms(stores.get("pod-a"), "pod-a", em, lastWrite));
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> leaders(List.of(a)).size() == EMS.size()
                            && EMS.stream().allMatch(em -> stores.get("pod-a").watermark(em, "BackupJobSession").isPresent()));
            toA.cut();  // pod-a frozen: it renews nothing from now on
            client.pods().inNamespace(NS).withName("pod-a").delete();
            CamelContext b = context("pod-b", client.getMasterUrl().toString(),
                    em -> writeEvery500ms(stores.get("pod-b"), "pod-b", em, lastWrite));
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> leaders(List.of(b)).size() == EMS.size() && leaders(List.of(a)).isEmpty()
                            && EMS.stream().allMatch(em -> lastWrite.containsKey("pod-b/" + em)));

            // pod-a thaws and writes as if it still led em01
            Instant stale = Instant.parse("2000-01-01T00:00:00Z");
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> stores.get("pod-a").commitWatermark("em01", "BackupJobSession", stale))
                    .as("the stale owner's write").isInstanceOf(RuntimeException.class);
            assertThat(owners.get("pod-a").owns("em01")).as("pod-a gave em01 up").isFalse();
            Instant after = Instant.now();
            stores.get("pod-b").commitWatermark("em01", "BackupJobSession", after);  // the owner is not fenced
            try (KafkaStateStore reader = new KafkaStateStore(props, topic, "vse-reader-", Duration.ofSeconds(30))) {
                assertThat(reader.watermark("em01", "BackupJobSession")).contains(after);
                for (String em : EMS) {
                    assertThat(reader.watermark(em, "BackupJobSession")).as(em).isPresent().get().isNotEqualTo(stale);
                }
            }
            contexts.forEach(CamelContext::stop);
            stores.values().forEach(KafkaStateStore::close);
        }
    }

    /** The stand-in poll route's work: the EM's watermark, at most every 500 ms per pod and EM. */
    private static void writeEvery500ms(KafkaStateStore store, String pod, String em, Map<String, Long> lastWrite) {
        long now = System.nanoTime();
        Long last = lastWrite.get(pod + "/" + em);
        if (last == null || now - last > 500_000_000L) {
            try {
                store.commitWatermark(em, "BackupJobSession", Instant.now());
                lastWrite.put(pod + "/" + em, now);
            } catch (RuntimeException e) {
                // fenced or not owned: the pipeline's cycle would stop here the same way
            }
        }
    }

    /** The Pod objects of the "pods", ready: the service counts ready pods only. */
    private void readyPods(String... pods) {
        for (String pod : pods) {
            client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(pod)
                    .addToLabels(Clustering.KUBERNETES_LABELS).endMetadata()
                    .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition()
                    .addNewContainerStatus().withName("pipeline").withReady(true).endContainerStatus().endStatus().build()).create();
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

    /** What a stand-in poll route does on a tick, besides counting it. */
    interface Tick {
        void on(String em) throws Exception;
    }

    private CamelContext context(String pod, String masterUrl) throws Exception {
        return context(pod, masterUrl, em -> { });
    }

    private CamelContext context(String pod, String masterUrl, Tick tick) throws Exception {
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
                            .process(x -> {
                                ticks.computeIfAbsent(pod + "/" + em, k -> new ConcurrentLinkedQueue<>()).add(System.nanoTime());
                                tick.on(em);
                            });
                }
            }
        });
        camel.start();
        contexts.add(camel);
        return camel;
    }
}

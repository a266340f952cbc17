package dev.vse.app;

import dev.vse.detect.StateStore;
import dev.vse.pipeline.EmClients;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline as a Camel Main application: YAML routes (from the jar or a folder), the beans they call,
 * and one poll route per EM instantiated from the {@code poll-em} route template.
 */
public final class PipelineApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineApp.class);
    /**
     * How long a stop lets an EM request wait for its answer (below {@code camel.main.shutdown-timeout}, which then
     * forces the route's stop while the request still blocks).
     */
    static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /** Id of the route template that polls one EM; one route {@code poll-<emId>} per EM. */
    public static final String POLL_TEMPLATE = "poll-em";
    /** Id of the route template that sends one EM's heartbeats; one route {@code heartbeat-<emId>} per EM. */
    public static final String HEARTBEAT_TEMPLATE = "heartbeat-em";
    /**
     * Ids of the Alertmanager bridge's route templates (routes/alertmanager.yaml), each instantiated once, as a route
     * of the same id, when ALERTMANAGER_URL is set: the consumer of the job alerts topic and the re-send timer.
     */
    public static final java.util.List<String> ALERTMANAGER_TEMPLATES = java.util.List.of("alertmanager-alerts", "alertmanager-resend");

    private final AppConfig config;
    private final ObserveSettings observe;
    private final java.util.Optional<AlertmanagerSettings> alertmanager;
    private final Settings settings;
    private final dev.vse.cluster.ClusterSettings cluster;
    private dev.vse.cluster.Clustering clustering;
    private final StateStoreSettings stateStore;
    private final Main main = new Main();
    private final Clock clock;
    private StateStore store;
    private EmClients ems;
    private final java.util.concurrent.atomic.AtomicBoolean pollRoutesAdded = new java.util.concurrent.atomic.AtomicBoolean();

    public PipelineApp(AppConfig config, Settings settings) {
        this(config, settings, Clock.systemUTC());
    }

    public PipelineApp(AppConfig config, Settings settings, Clock clock) {
        this.config = config;
        this.observe = ObserveSettings.from(settings);
        this.alertmanager = AlertmanagerSettings.from(settings);
        this.settings = settings;
        this.cluster = dev.vse.cluster.ClusterSettings.from(settings);
        this.stateStore = StateStoreSettings.from(settings);
        this.clock = clock;
        Properties props = camelProperties(config, settings);
        props.setProperty("heartbeat.interval-ms", Long.toString(observe.heartbeatInterval().toMillis()));
        props.setProperty("topic.heartbeat", observe.heartbeatTopic());
        props.setProperty("state.store", stateStore.value());
        alertmanager.ifPresent(am -> {
            props.setProperty("alertmanager.group-id", am.groupId());
            props.setProperty("alertmanager.resend-interval-ms", Long.toString(am.resendInterval().toMillis()));
        });
        main.setOverrideProperties(props);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport m) {
                bindBeans(m.getCamelContext());
            }

            @Override
            public void afterConfigure(BaseMainSupport m) {
                // the YAML routes (with the poll-em template) are loaded now; one poll route per EM
                addPollRoutes(m.getCamelContext());
            }

            @Override
            public void afterStart(BaseMainSupport m) {
                // the health checks' start-up grace counts from the moment polling runs
                var board = PipelineBeans.board(m.getCamelContext());
                if (board != null) {
                    board.pollingStarted();
                }
            }

            @Override
            public void beforeStop(BaseMainSupport m) {
                stopPolling(m.getCamelContext());
            }

            @Override
            public void afterStop(BaseMainSupport m) {
                closeResources();
            }
        });
    }

    /** Starts without blocking (tests, demo). */
    public void start() {
        main.start();
        if (main.getCamelContext() == null || !main.getCamelContext().isStarted()) {
            throw new IllegalStateException("the pipeline did not start; see the log above");
        }
    }

    /** Runs until the JVM is asked to stop (SIGTERM, Ctrl-C). */
    public void run() throws Exception {
        main.run();
    }

    /** Asks a {@link #run()} in progress to stop the routes and return (signal handlers call this). */
    public void requestStop() {
        main.completed();
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** Status of every EM and of Kafka (what health, metrics and heartbeats report). */
    public dev.vse.observe.EmStatusBoard status() {
        return PipelineBeans.board(main.getCamelContext());
    }

    public StateStore store() {
        return store;
    }

    @Override
    public void close() {
        if (main.getCamelContext() != null) {
            stopPolling(main.getCamelContext());
        }
        main.stop();
        closeResources();
    }

    /**
     * Lets the running cycles finish, then logs out of every EM while the HTTP component still runs. What still
     * waits for an EM {@link #STOP_GRACE} after the stop began is aborted (every second from then on), so a silent
     * EM cannot hold the stop for its read timeout: Kubernetes kills a pod 30 s after SIGTERM.
     */
    private synchronized void stopPolling(CamelContext camel) {
        if (ems == null) {
            return;
        }
        if (clustering != null) {
            clustering.closing();
        }
        EmClients stopping = ems;
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "em-stop-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(stopping::abortWaiting, STOP_GRACE.toMillis(), 1000, TimeUnit.MILLISECONDS);
        try {
            for (String emId : stopping.ids()) {
                try {
                    camel.getRouteController().stopRoute("poll-" + emId);
                } catch (Exception e) {
                    LOG.warn("poll route of EM {} did not stop cleanly: {}", emId, e.getMessage());
                }
            }
            stopping.close();
        } finally {
            watchdog.shutdownNow();
        }
        ems = null;
    }

    private void bindBeans(CamelContext camel) {
        store = stateStore.open(config.stateDir(), KafkaClientSettings.from(settings), settings);
        ems = PipelineBeans.bind(camel, config, store, clock, cluster.clustered());
        if (cluster.clustered()) {
            try {
                clustering = dev.vse.cluster.Clustering.install(camel, cluster, ems.ids());
            } catch (Exception e) {
                throw new IllegalStateException("cannot set up the cluster service: " + e.getMessage(), e);
            }
        }
        alertmanager.ifPresent(am -> PipelineBeans.bindAlertmanager(camel, am, KafkaClientSettings.from(settings), clock));
    }

    private void addPollRoutes(CamelContext camel) {
        if (!pollRoutesAdded.compareAndSet(false, true)) {
            return; // startup listeners fire again for every route added later, these included
        }
        for (String emId : ems.ids()) {
            try {
                camel.addRouteFromTemplate("poll-" + emId, POLL_TEMPLATE, Map.of("emId", emId));
                if (clustering != null) {
                    // only the instance that leads the EM's namespace runs its poll route (routes/poll.yaml)
                    routeDefinition(camel, "poll-" + emId).routePolicy(
                            clustering.pollPolicies(camel, emId, store, PipelineBeans.board(camel)).toArray(org.apache.camel.spi.RoutePolicy[]::new));
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot create the poll route of EM " + emId + ": " + e.getMessage(), e);
            }
        }
        if (observe.heartbeatsOn()) {
            for (String emId : ems.ids()) {
                try {
                    camel.addRouteFromTemplate("heartbeat-" + emId, HEARTBEAT_TEMPLATE, Map.of("emId", emId));
                    if (clustering != null) {
                        // heartbeats of an EM come from its leader only
                        routeDefinition(camel, "heartbeat-" + emId).routePolicy(
                                clustering.heartbeatPolicies(camel, emId).toArray(org.apache.camel.spi.RoutePolicy[]::new));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("cannot create the heartbeat route of EM " + emId + ": " + e.getMessage(), e);
                }
            }
        }
        if (alertmanager.isPresent()) {
            for (String template : ALERTMANAGER_TEMPLATES) {
                try {
                    camel.addRouteFromTemplate(template, template, Map.of());
                } catch (Exception e) {
                    throw new IllegalStateException("cannot create the route " + template + ": " + e.getMessage(), e);
                }
            }
            LOG.info("job alerts of {} pushed to Alertmanager {} (group {}, open incidents re-sent every {}s)",
                    alertmanager.get().topic(), alertmanager.get().alertsUrl(), alertmanager.get().groupId(),
                    alertmanager.get().resendInterval().toSeconds());
        }
        // Kubernetes counts ready pods as cluster members: an EM that is away must not make its leader unready
        PipelineBeans.registerHealthChecks(camel, config, cluster.service() != dev.vse.cluster.ClusterSettings.Kind.KUBERNETES);
        LOG.info("polling {} EM server(s) every {}s: {}; Kafka {}; state in {}", ems.ids().size(),
                config.pollInterval().toSeconds(), ems.ids(), config.kafkaBootstrapServers(), stateStore.describe(config.stateDir()));
    }

    /** The model of a route added from a template, before the context starts it (policies can still be attached). */
    private static org.apache.camel.model.RouteDefinition routeDefinition(CamelContext camel, String routeId) {
        org.apache.camel.model.Model model = camel.getCamelContextExtension().getContextPlugin(org.apache.camel.model.Model.class);
        org.apache.camel.model.RouteDefinition def = model.getRouteDefinition(routeId);
        if (def == null) {
            throw new IllegalStateException("route " + routeId + " is not in the model");
        }
        return def;
    }

    private synchronized void closeResources() {
        if (ems != null) {
            ems.close();
            ems = null;
        }
        if (store != null) {
            try {
                store.close();
            } catch (Exception e) {
                LOG.warn("state store did not close cleanly: {}", e.getMessage());
            }
            store = null;
        }
    }

    /** What the routes read through {@code {{...}}}: topics, intervals, Kafka, and Camel's own keys. */
    static Properties camelProperties(AppConfig c, Settings s) {
        Properties p = s.camelProperties();
        // the producers get the same bootstrap servers and security settings as the startup check's Admin client
        KafkaClientSettings.from(s).camelComponentProperties().forEach(p::setProperty);
        p.setProperty("poll.interval-ms", Long.toString(c.pollInterval().toMillis()));
        p.setProperty("topic.completed", c.topics().completed());
        p.setProperty("topic.failed", c.topics().failed());
        p.setProperty("topic.changes", c.topics().changes());
        p.setProperty("topic.dlq", c.topics().dlq());
        for (String key : TopicPlan.COMPACTED) {
            p.setProperty(key, s.get(key, ""));
        }
        if (c.routesDir() != null) {
            String dir = c.routesDir().endsWith("/") ? c.routesDir() : c.routesDir() + "/";
            p.setProperty("camel.main.routes-include-pattern", "file:" + dir + "*.yaml");
        }
        return p;
    }
}

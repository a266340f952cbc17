package dev.vse.app;

import dev.vse.alert.AlertmanagerBridge;
import dev.vse.detect.ChangeDetector;
import dev.vse.detect.KafkaStateStore;
import dev.vse.detect.StateStore;
import dev.vse.observe.EmOwnership;
import dev.vse.pipeline.PageTransactions;
import dev.vse.em.EmRetry;
import dev.vse.event.CloudEventMapper;
import dev.vse.pipeline.ChangeStage;
import dev.vse.pipeline.CycleCloser;
import dev.vse.pipeline.DeadLetters;
import dev.vse.pipeline.EmClients;
import dev.vse.pipeline.EnrichStage;
import dev.vse.pipeline.IncidentStage;
import dev.vse.enrich.TaskEnrichment;
import dev.vse.enrich.TaskOutcomes;
import dev.vse.incident.JobIncidents;
import dev.vse.incident.RetryPolicies;
import dev.vse.pipeline.EventConsole;
import dev.vse.pipeline.PageFetcher;
import dev.vse.pipeline.PollPlanner;
import dev.vse.pipeline.SweepSchedule;
import dev.vse.em.EmSource;
import dev.vse.observe.EmBackoff;
import dev.vse.observe.EmHealthCheck;
import dev.vse.observe.EmStatusBoard;
import dev.vse.observe.Heartbeats;
import dev.vse.observe.KafkaHealthCheck;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;

/**
 * The beans the YAML routes call, bound under the names the routes use ({@code pollPlanner}, {@code pageFetcher},
 * {@code changeStage}, {@code taskSessions}, {@code jobIncidents}, {@code cycleCloser}, {@code deadLetters},
 * {@code eventConsole}, {@code emStatus}, {@code emBackoff}, {@code emOwnership}, {@code heartbeats}; with STATE_STORE=kafka
 * also {@code pageTransactions}; with ALERTMANAGER_URL also
 * {@code alertmanagerBridge}). Shared by
 * {@link PipelineApp} and the route-level tests, so both run the routes against the same wiring.
 */
public final class PipelineBeans {
    private PipelineBeans() { }

    /**
     * Binds the beans into {@code camel}'s registry over {@code store}; returns the EM clients, which the caller
     * owns (close them to log out of every EM).
     */
    public static EmClients bind(CamelContext camel, AppConfig config, StateStore store, Clock clock) {
        return bind(camel, config, store, clock, false);
    }

    /**
     * {@link #bind(CamelContext, AppConfig, StateStore, Clock)}; {@code clustered}: every EM starts on standby (its state
     * untouched) until this instance leads it (CLUSTER_SERVICE).
     */
    public static EmClients bind(CamelContext camel, AppConfig config, StateStore store, Clock clock, boolean clustered) {
        // the status of every EM and its meters, on the registry Camel's Prometheus endpoint serves
        EmStatusBoard board = new EmStatusBoard(meterRegistry(camel), store, clock);
        if (clustered) {
            board.clustered();
        }
        EmBackoff backoff = EmBackoff.forInterval(config.pollInterval(), clock);
        EmClients ems = new EmClients(camel, config.ems(), board);
        for (EmSource em : config.ems()) {
            board.register(em.id(), em.server().baseUrl(), em.sessionTypes(), ems.client(em.id())::clockSkew);
        }
        // which EMs this instance polls: all of them until one is given up (fenced, or leadership moved elsewhere)
        EmOwnership ownership = new EmOwnership();
        ownership.onRelease(board::givenUp);
        ownership.onTake(board::taken);
        if (store instanceof KafkaStateStore kafka) {
            kafka.ownership(ownership::owns, ownership::release);
            ownership.onRelease((emId, why) -> kafka.release(emId));
        }
        // bound with either store (the publish route refers to it); with the file store it is never called
        camel.getRegistry().bind("pageTransactions",
                new PageTransactions(store instanceof KafkaStateStore kafka ? kafka : null));
        camel.getRegistry().bind("emOwnership", ownership);
        ChangeStage changes = new ChangeStage(camel, store, new ChangeDetector(config.emitProgress()),
                new CloudEventMapper(), config.topics(), clock, board);
        SweepSchedule sweeps = new SweepSchedule(config.sweepInterval(), config.sweepLookback(), clock.instant());
        PollPlanner planner = new PollPlanner(ems, store, config.initialLoadPolicy(), config.lagMargin(),
                config.initialLookback(), sweeps, clock);
        Registry registry = camel.getRegistry();
        registry.bind("pollPlanner", planner);
        // the next query page is asked for while the current one is processed (one page ahead per cycle)
        registry.bind("pageFetcher", new PageFetcher(ems, store, new EmRetry(config.pollRetries(), Duration.ofSeconds(1)),
                config.rereadLimit(), camel.getExecutorServiceManager().newCachedThreadPool(planner, "PageAhead")));
        registry.bind("changeStage", changes);
        registry.bind("taskSessions", new EnrichStage(new TaskEnrichment(config.enrichTasks(),
                (emId, replica, uids) -> TaskOutcomes.read(ems.client(emId), replica, uids),
                (emId, session) -> TaskOutcomes.read(ems.client(emId), session)), changes.recordBuilder()));
        RetryPolicies policies = new RetryPolicies(config.retryAware(),
                (emId, session) -> RetryPolicies.read(ems.client(emId), session), config.jobsRefresh(), clock);
        registry.bind("jobIncidents", new IncidentStage(new JobIncidents(policies, config.lagMargin()), store, ems,
                changes.recordBuilder(), clock));
        registry.bind("cycleCloser", new CycleCloser(store, planner, sweeps, config.retention(), clock, board, backoff));
        registry.bind("deadLetters", new DeadLetters(ems, config.topics().dlq(), clock, board));
        registry.bind("emStatus", board);
        registry.bind("emBackoff", backoff);
        registry.bind("heartbeats", new Heartbeats(board, store, clock));
        registry.bind("eventConsole", new EventConsole(changes, config.consoleEvents()));
        return ems;
    }

    /**
     * Binds the Alertmanager bridge's bean {@code alertmanagerBridge} (routes/alertmanager.yaml) over the app's Kafka
     * client settings (the same bootstrap servers and security as every Kafka client of the app), its meters on the
     * registry served at /observe/metrics.
     */
    public static AlertmanagerBridge bindAlertmanager(CamelContext camel, AlertmanagerSettings am, KafkaClientSettings kafka,
                                                      Clock clock) {
        AlertmanagerBridge bridge = AlertmanagerBridge.create(am.alertsUrl(), am.timeout(), am.severity(), am.activeFor(),
                kafka.clientProperties(), am.topic(), meterRegistry(camel), clock);
        camel.getRegistry().bind("alertmanagerBridge", bridge);
        return bridge;
    }

    /**
     * The ownership bound by {@link #bind} ({@code emOwnership}): what a cluster service calls on takeover
     * ({@link EmOwnership#take}) and on loss ({@link EmOwnership#release}).
     */
    public static EmOwnership ownership(CamelContext camel) {
        return camel.getRegistry().lookupByNameAndType("emOwnership", EmOwnership.class);
    }

    /** The board bound by {@link #bind}. */
    public static EmStatusBoard board(CamelContext camel) {
        return camel.getRegistry().lookupByNameAndType("emStatus", EmStatusBoard.class);
    }

    /**
     * Our health checks, one per EM and one for Kafka (readiness), in Camel's health-check registry; nothing when
     * health checks are off.
     */
    public static void registerHealthChecks(CamelContext camel, AppConfig config) {
        registerHealthChecks(camel, config, true);
    }

    /** {@link #registerHealthChecks(CamelContext, AppConfig)}; {@code emReadiness} false: EM checks not in readiness. */
    public static void registerHealthChecks(CamelContext camel, AppConfig config, boolean emReadiness) {
        HealthCheckRegistry health = HealthCheckRegistry.get(camel);
        EmStatusBoard board = board(camel);
        if (health == null || board == null) {
            return;
        }
        for (EmSource em : config.ems()) {
            health.register(new EmHealthCheck(board, em.id(), config.pollInterval(), emReadiness));
        }
        health.register(new KafkaHealthCheck(board));
    }

    /**
     * The meter registry Camel's metrics service uses ({@code metricsRegistry}); bound here first when absent, so
     * that Camel's route meters and ours end up on the one Prometheus registry served at /observe/metrics.
     */
    static MeterRegistry meterRegistry(CamelContext camel) {
        Registry registry = camel.getRegistry();
        MeterRegistry found = registry.lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        if (found != null) {
            return found;
        }
        PrometheusMeterRegistry created = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.bind("metricsRegistry", created);
        return created;
    }
}

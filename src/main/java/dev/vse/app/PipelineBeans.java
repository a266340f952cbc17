package dev.vse.app;

import dev.vse.detect.ChangeDetector;
import dev.vse.detect.StateStore;
import dev.vse.em.EmRetry;
import dev.vse.event.CloudEventMapper;
import dev.vse.pipeline.ChangeStage;
import dev.vse.pipeline.CycleCloser;
import dev.vse.pipeline.DeadLetters;
import dev.vse.pipeline.EmClients;
import dev.vse.pipeline.EventConsole;
import dev.vse.pipeline.PageFetcher;
import dev.vse.pipeline.PollPlanner;
import dev.vse.pipeline.SweepSchedule;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * The beans the YAML routes call, bound under the names the routes use ({@code pollPlanner}, {@code pageFetcher},
 * {@code changeStage}, {@code cycleCloser}, {@code deadLetters}, {@code eventConsole}). Shared by
 * {@link PipelineApp} and the route-level tests, so both run the routes against the same wiring.
 */
public final class PipelineBeans {
    private PipelineBeans() { }

    /**
     * Binds the beans into {@code camel}'s registry over {@code store}; returns the EM clients, which the caller
     * owns (close them to log out of every EM).
     */
    public static EmClients bind(CamelContext camel, AppConfig config, StateStore store, Clock clock) {
        EmClients ems = new EmClients(camel, config.ems());
        ChangeStage changes = new ChangeStage(camel, store, new ChangeDetector(config.emitProgress()),
                new CloudEventMapper(), config.topics(), clock);
        SweepSchedule sweeps = new SweepSchedule(config.sweepInterval(), config.sweepLookback(), clock.instant());
        PollPlanner planner = new PollPlanner(ems, store, config.initialLoadPolicy(), config.lagMargin(),
                config.initialLookback(), sweeps, clock);
        Registry registry = camel.getRegistry();
        registry.bind("pollPlanner", planner);
        registry.bind("pageFetcher", new PageFetcher(ems, store, new EmRetry(config.pollRetries(), Duration.ofSeconds(1)),
                config.rereadLimit()));
        registry.bind("changeStage", changes);
        registry.bind("cycleCloser", new CycleCloser(store, planner, sweeps, config.retention(), clock));
        registry.bind("deadLetters", new DeadLetters(ems, config.topics().dlq(), clock));
        registry.bind("eventConsole", new EventConsole(changes, config.consoleEvents()));
        return ems;
    }
}

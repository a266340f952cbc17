package dev.vse.app;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;

/**
 * Entry point of the jar: {@code java -jar veeam-session-events.jar} runs the pipeline,
 * {@code ... simulator [options]} runs the EM simulator, {@code ... state [options]} prints what the state store
 * holds ({@link StateCommand}), {@code ... replay [options]} re-publishes the records of a time window
 * ({@link ReplayCommand}); docs/operations-tools.md.
 */
public final class Launcher {
    private Launcher() { }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("simulator")) {
            System.exit(dev.vse.simulator.SimulatorCli.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && (args[0].equals("state") || args[0].equals("replay"))) {
            quietLogs();  // the tools' own output is what counts; warnings and errors still show
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            System.exit(args[0].equals("state")
                    ? StateCommand.run(rest, System.getenv(), Map.of(), System.out, System.err, Clock.systemUTC())
                    : ReplayCommand.run(rest, System.getenv(), Map.of(), System.out, System.err, Clock.systemUTC()));
        }
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            help(System.out);
            return;
        }
        if (args.length > 0) {
            System.err.println("veeam-session-events: unknown command '" + args[0] + "'; try --help");
            System.exit(2);
        }
        System.exit(runPipeline(System.getenv(), Map.of()));
    }

    static void help(PrintStream out) {
        out.println("usage: java -jar veeam-session-events.jar            run the pipeline (configure with EM_URL, EM_USERNAME,");
        out.println("                                                   EM_PASSWORD, KAFKA_BOOTSTRAP_SERVERS, POLL_INTERVAL, STATE_DIR)");
        out.println("       java -jar veeam-session-events.jar simulator [--help]   run the EM simulator");
        out.println("       java -jar veeam-session-events.jar state [--em ID] [--stuck-after 24h] [--json]");
        out.println("                                                   print watermarks, baselines, tracked/running/stuck");
        out.println("                                                   sessions per EM under STATE_DIR (safe while the pipeline runs)");
        out.println("       java -jar veeam-session-events.jar replay --em ID --from T [--to T] [--topics changes,completed,failed]");
        out.println("                                                   re-publish the first-sight records of the sessions created or");
        out.println("                                                   ended in [from, to), same ce_ids, state store untouched");
        out.println("       (state --help, replay --help: details; docs/operations-tools.md)");
    }

    private static void quietLogs() {
        try {
            org.apache.logging.log4j.core.config.Configurator.setAllLevels(
                    org.apache.logging.log4j.LogManager.ROOT_LOGGER_NAME, org.apache.logging.log4j.Level.WARN);
        } catch (RuntimeException | LinkageError e) {
            // another logging backend: its levels stay as configured
        }
    }

    /**
     * Runs the pipeline until stopped; returns the process exit code: 0 after a clean stop, 2 for a configuration
     * error (a secret file that
     * cannot be read, a topic that cannot be created included), 3 when Kafka does not answer within
     * {@code kafka.startup-timeout} or refuses the credentials, 1 when the pipeline failed.
     */
    public static int runPipeline(Map<String, String> env, Map<String, String> overrides) {
        Settings settings;
        AppConfig config;
        KafkaStartupCheck kafka;
        TopicPlan topics;
        try {
            settings = Settings.load(env, overrides);
            config = AppConfig.from(settings);
            kafka = KafkaStartupCheck.from(settings);
            topics = TopicPlan.from(settings);
            AlertmanagerSettings.from(settings);
            dev.vse.cluster.ClusterSettings.from(settings);
            StateStoreSettings.from(settings);
        } catch (ConfigException e) {
            System.err.println("veeam-session-events: configuration error: " + e.getMessage());
            return 2;
        }
        try {
            kafka.run(topics);
        } catch (KafkaStartupCheck.KafkaUnreachableException e) {
            System.err.println("veeam-session-events: " + e.getMessage());
            return 3;
        } catch (KafkaStartupCheck.TopicCreationRefusedException e) {
            System.err.println("veeam-session-events: " + e.getMessage());
            return 2;
        }
        try (PipelineApp app = new PipelineApp(config, settings)) {
            StopSignals.install(app::requestStop);
            app.run();
            return 0;
        } catch (Exception e) {
            System.err.println("veeam-session-events: stopped: " + e.getMessage());
            return 1;
        }
    }
}

package dev.vse.app;

import java.util.Arrays;
import java.util.Map;

/**
 * Entry point of the jar: {@code java -jar veeam-session-events.jar} runs the pipeline,
 * {@code java -jar veeam-session-events.jar simulator [options]} runs the EM simulator.
 */
public final class Launcher {
    private Launcher() { }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("simulator")) {
            System.exit(dev.vse.simulator.SimulatorCli.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("usage: java -jar veeam-session-events.jar            run the pipeline (configure with EM_URL, EM_USERNAME,");
            System.out.println("                                                   EM_PASSWORD, KAFKA_BOOTSTRAP_SERVERS, POLL_INTERVAL, STATE_DIR)");
            System.out.println("       java -jar veeam-session-events.jar simulator [--help]   run the EM simulator");
            return;
        }
        System.exit(runPipeline(System.getenv(), Map.of()));
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

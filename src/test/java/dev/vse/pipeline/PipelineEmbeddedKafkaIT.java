package dev.vse.pipeline;

import dev.vse.testkit.EmbeddedKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The end-to-end scenarios on the in-JVM KRaft broker (always runs). */
class PipelineEmbeddedKafkaIT extends PipelineScenarios {
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Override
    String bootstrapServers() {
        return kafka.bootstrapServers();
    }
}

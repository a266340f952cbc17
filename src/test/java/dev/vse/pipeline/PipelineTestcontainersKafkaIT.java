package dev.vse.pipeline;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/** The same end-to-end scenarios on Apache Kafka in a container; skipped where no Docker engine runs. */
@Testcontainers(disabledWithoutDocker = true)
class PipelineTestcontainersKafkaIT extends PipelineScenarios {
    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:3.9.1");

    @Override
    String bootstrapServers() {
        return KAFKA.getBootstrapServers();
    }
}

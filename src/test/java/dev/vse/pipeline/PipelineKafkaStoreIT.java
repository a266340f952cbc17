package dev.vse.pipeline;

import dev.vse.testkit.EmbeddedKafka;
import dev.vse.testkit.PipelineHarness;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The end-to-end scenarios with {@code STATE_STORE=kafka} on the in-JVM KRaft broker: the same contract as with the
 * file store (restarts included: the state is read back from the EM's partition of the state topic).
 */
class PipelineKafkaStoreIT extends PipelineScenarios {
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

    @Override
    void configure(PipelineHarness harness) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        harness.with("state.store", "kafka").with("topic.state", "state-" + id)
                .with("state.kafka.transactional-id-prefix", "vse-" + id + "-");
    }
}

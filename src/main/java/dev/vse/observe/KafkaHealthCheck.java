package dev.vse.observe;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of the Kafka producer ({@code vse/kafka}): DOWN when the latest send failed with a Kafka error, UP again
 * after the next acknowledgement (session records, dead letters or heartbeats).
 */
public final class KafkaHealthCheck extends AbstractHealthCheck {
    private final EmStatusBoard board;

    public KafkaHealthCheck(EmStatusBoard board) {
        super("vse", "kafka");
        this.board = board;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        var error = board.kafkaError();
        if (error.isEmpty()) {
            builder.up();
            return;
        }
        builder.detail("reason", "Kafka does not acknowledge");
        builder.detail("lastError", error.get());
        board.kafkaErrorAt().ifPresent(t -> builder.detail("since", t.toString()));
        builder.message("Kafka does not acknowledge: " + error.get());
        builder.down();
    }
}

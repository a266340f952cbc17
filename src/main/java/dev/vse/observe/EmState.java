package dev.vse.observe;

/** The state of one EM as the heartbeat and the health check name it (contract values, fixed). */
public enum EmState {
    OK("ok"),
    EM_UNAVAILABLE("em-unavailable"),
    AUTH_REFUSED("auth-refused"),
    EM_ERROR("em-error"),
    KAFKA_UNAVAILABLE("kafka-unavailable");

    private final String value;

    EmState(String value) {
        this.value = value;
    }

    /** As in the heartbeat's {@code status} and the {@code outcome} tag of {@code vse_cycles_total}. */
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}

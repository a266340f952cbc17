package dev.vse.event;

/** The Kafka topics of the session records and the dead-letter queue. */
public record Topics(String completed, String failed, String changes, String dlq) {

    /** The topic of an event type. */
    public String of(EventType type) {
        return switch (type) {
            case COMPLETED -> completed;
            case FAILED -> failed;
            case CHANGED -> changes;
        };
    }
}

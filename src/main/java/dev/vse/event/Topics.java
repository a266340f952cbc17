package dev.vse.event;

/** The Kafka topics of the session records, the job alerts and the dead-letter queue. */
public record Topics(String completed, String failed, String changes, String dlq, String jobAlerts) {

    /** Without a job alerts topic of its own: the default name. */
    public Topics(String completed, String failed, String changes, String dlq) {
        this(completed, failed, changes, dlq, "veeam.em.job.alerts");
    }

    /** The topic of an event type. */
    public String of(EventType type) {
        return switch (type) {
            case COMPLETED -> completed;
            case FAILED -> failed;
            case CHANGED -> changes;
        };
    }
}

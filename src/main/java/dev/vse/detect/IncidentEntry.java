package dev.vse.detect;

/**
 * One change of a job incident as the {@link StateStore} keeps it.
 *
 * @param jobUid the job
 * @param state  the incident's encoded state (opaque to the store), or null: the incident is closed, forget it
 */
public record IncidentEntry(String jobUid, String state) {
    public IncidentEntry {
        java.util.Objects.requireNonNull(jobUid, "jobUid");
    }
}

package dev.vse.event;

import java.time.Instant;

/**
 * One task (per-VM / per-machine) session of a job session, as failed and warning records carry it: which VM, how
 * its task ended and why (EM's {@code Reason}, the human-readable failure text). Open strings throughout.
 *
 * @param name    the VM or machine ({@code VmDisplayName}, else the task's {@code Name})
 * @param status  the task's {@code Result}: {@code Success}, {@code Warning}, {@code Failed}, ...
 * @param reason  EM's {@code Reason}; null when empty
 * @param state   the task's {@code State}: {@code Completed}, {@code InProgress}, {@code Pending}, ...
 * @param uid     the task session's UID
 * @param endTime when the task ended, null while it runs
 */
public record TaskOutcome(String name, String status, String reason, String state, String uid, Instant endTime) {

    /** Failed first, then warnings, then the rest: the order in which records list tasks. */
    public int severityRank() {
        if ("Failed".equalsIgnoreCase(status)) {
            return 0;
        }
        return "Warning".equalsIgnoreCase(status) ? 1 : 2;
    }

    /** The task's {@code Result} is {@code Failed}. */
    public boolean isFailed() {
        return severityRank() == 0;
    }

    /** Not a plain success: the tasks an on-call engineer looks at. */
    public boolean needsAttention() {
        return severityRank() < 2;
    }
}

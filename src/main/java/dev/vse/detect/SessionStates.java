package dev.vse.detect;

/**
 * The few State/Result values the pipeline interprets (veeam-em-api.md §4). Everything else is an
 * open string that is carried through untouched; comparisons are case-insensitive and null-safe.
 */
public final class SessionStates {
    public static final String STOPPED = "Stopped";
    public static final String SUCCESS = "Success";
    public static final String WARNING = "Warning";
    public static final String FAILED = "Failed";

    private SessionStates() { }

    /** Terminal lifecycle state: {@code State == Stopped}. Anything else (including unknown) is running. */
    public static boolean isStopped(String state) {
        return STOPPED.equalsIgnoreCase(state);
    }

    /** {@code Result == Failed}, whatever the state. */
    public static boolean isFailed(String result) {
        return FAILED.equalsIgnoreCase(result);
    }

    /** {@code State == Stopped} and {@code Result} is {@code Success} or {@code Warning}. */
    public static boolean isCompleted(String state, String result) {
        return isStopped(state) && (SUCCESS.equalsIgnoreCase(result) || WARNING.equalsIgnoreCase(result));
    }

    /** Either terminal outcome that earns a completed/failed record. */
    public static boolean isTerminal(String state, String result) {
        return isFailed(result) || isCompleted(state, result);
    }
}

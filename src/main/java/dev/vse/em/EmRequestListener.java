package dev.vse.em;

/** Told of every HTTP request to an EM once it ended: how it ended and how long it took. */
@FunctionalInterface
public interface EmRequestListener {
    /** Listens to nothing. */
    EmRequestListener NONE = (emId, outcome, nanos) -> { };

    /**
     * @param outcome {@code success} (2xx), {@code redirection} (3xx), {@code unauthorized} (401),
     *                {@code client_error} (other 4xx), {@code server_error} (5xx), {@code no_response}
     *                (timeout, refused, reset, TLS)
     */
    void request(String emId, String outcome, long nanos);

    /** The outcome tag of an HTTP status ({@code -1}: no response). */
    static String outcomeOf(int status) {
        if (status < 0) {
            return "no_response";
        }
        return switch (status / 100) {
            case 2 -> "success";
            case 3 -> "redirection";
            case 4 -> status == 401 ? "unauthorized" : "client_error";
            case 5 -> "server_error";
            default -> "unknown";
        };
    }
}

package dev.vse.em;

/**
 * An EM request failed. Carries what a dead-letter record needs: the kind, the EM, the request
 * (method + URL), the status (or -1 when no response arrived) and the raw body (may be null).
 * The message is one line and never contains the password or the session token.
 */
public class EmRequestException extends RuntimeException {
    private final FailureKind kind;
    private final String emId;
    private final String request;
    private final int status;
    private final transient byte[] body;

    public EmRequestException(FailureKind kind, String emId, String request, int status, byte[] body,
                              String detail, Throwable cause) {
        super(kind + " failure of EM " + emId + ": " + request
                + (status >= 0 ? " -> HTTP " + status : "") + (detail == null ? "" : ": " + detail), cause);
        this.kind = kind;
        this.emId = emId;
        this.request = request;
        this.status = status;
        this.body = body;
    }

    public FailureKind kind() { return kind; }
    public String emId() { return emId; }
    /** Method and URL of the failed request. */
    public String request() { return request; }
    /** HTTP status, or -1 when no response arrived. */
    public int status() { return status; }
    /** The body exactly as received, or null. */
    public byte[] body() { return body; }
    public boolean isRetriable() { return kind == FailureKind.RETRIABLE; }
}

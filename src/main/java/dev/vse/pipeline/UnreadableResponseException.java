package dev.vse.pipeline;

/** An EM response (or a session in it) that cannot be processed; it goes to the DLQ with its raw bytes. */
public class UnreadableResponseException extends RuntimeException {
    private final String emId;
    private final String request;
    private final transient byte[] raw;

    public UnreadableResponseException(String emId, String request, byte[] raw, String reason, Throwable cause) {
        super("EM " + emId + ": " + request + ": " + reason, cause);
        this.emId = emId;
        this.request = request;
        this.raw = raw;
    }

    public String emId() { return emId; }
    public String request() { return request; }
    /** The body exactly as EM sent it (may be null when nothing was received). */
    public byte[] raw() { return raw; }
}

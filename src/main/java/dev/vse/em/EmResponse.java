package dev.vse.em;

import java.time.Instant;

/**
 * A successful (2xx) answer from EM, body kept as the raw bytes received so that a later parse
 * failure can still dead-letter exactly what EM sent.
 *
 * @param emId        configured id of the EM server
 * @param request     method and URL, e.g. {@code GET https://em01:9398/api/query?...}; never credentials or token
 * @param status      HTTP status
 * @param body        raw body (empty array when EM sent none)
 * @param contentType the {@code Content-Type} header, may be null
 * @param date        EM's {@code Date} header (RFC 1123, 1 s resolution), null when absent or unparseable
 */
public record EmResponse(String emId, String request, int status, byte[] body, String contentType, Instant date) {
    /** An answer without a known {@code Date}. */
    public EmResponse(String emId, String request, int status, byte[] body, String contentType) {
        this(emId, request, status, body, contentType, null);
    }

    @Override
    public String toString() {
        return "EmResponse[" + emId + " " + request + " -> " + status + ", " + body.length + " bytes]";
    }
}

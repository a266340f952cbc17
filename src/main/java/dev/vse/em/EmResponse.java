package dev.vse.em;

/**
 * A successful (2xx) answer from EM, body kept as the raw bytes received so that a later parse
 * failure can still dead-letter exactly what EM sent.
 *
 * @param emId        configured id of the EM server
 * @param request     method and URL, e.g. {@code GET https://em01:9398/api/query?...}; never credentials or token
 * @param status      HTTP status
 * @param body        raw body (empty array when EM sent none)
 * @param contentType the {@code Content-Type} header, may be null
 */
public record EmResponse(String emId, String request, int status, byte[] body, String contentType) {
    @Override
    public String toString() {
        return "EmResponse[" + emId + " " + request + " -> " + status + ", " + body.length + " bytes]";
    }
}

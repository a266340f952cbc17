package dev.vse.pipeline;

/**
 * A session that could not be processed, parked alone in the DLQ so that the rest of its page goes on.
 *
 * @param emId     the EM it came from
 * @param kind     {@code vse.error.kind}: {@code UNPROCESSABLE_SESSION} for one session of a page, {@code MALFORMED}
 *                 for a re-read whose whole answer was unreadable
 * @param request  the EM request whose answer held it
 * @param uid      its UID when it could be read, else null
 * @param fragment its own XML (the DLQ body)
 * @param reason   why, on one line
 */
public record ParkedSession(String emId, String kind, String request, String uid, byte[] fragment, String reason) { }

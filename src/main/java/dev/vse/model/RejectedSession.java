package dev.vse.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One session element of a page that could not be read: a value that does not convert (a date, a number) or a
 * session that violates the model (no {@code UID}, {@code State} or {@code CreationTimeUTC}). It is parked alone
 * in the DLQ; the rest of its page is processed.
 *
 * @param fragment the session element as EM sent it, UTF-8: exactly its bytes in the response, except that the
 *                 namespace declarations it inherits from its ancestors (EM declares {@code xmlns} on the
 *                 {@code QueryResult} root) are added to its start tag, so that it is a standalone document
 *                 that {@link EmXml#unmarshal(byte[], Class)} reads once the bad value is fixed
 * @param uid      the element's {@code UID} attribute, best effort: null when it has none
 * @param reason   why it was rejected, on one line (e.g. {@code missing UID}, or the bad value and its element)
 */
public record RejectedSession(byte[] fragment, String uid, String reason) {

    public RejectedSession {
        Objects.requireNonNull(fragment, "fragment");
        Objects.requireNonNull(reason, "reason");
        fragment = fragment.clone();
    }

    /** A copy of the fragment's bytes. */
    @Override
    public byte[] fragment() {
        return fragment.clone();
    }

    /** The fragment decoded (for logs and tests). */
    public String fragmentText() {
        return new String(fragment, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RejectedSession r && Arrays.equals(fragment, r.fragment)
                && Objects.equals(uid, r.uid) && reason.equals(r.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(fragment), uid, reason);
    }

    @Override
    public String toString() {
        return "RejectedSession[uid=" + uid + ", reason=" + reason + ", fragment=" + fragment.length + " bytes]";
    }
}

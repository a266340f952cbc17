package dev.vse.em;

/** What a failed EM request means for the caller: retry later, fix credentials, give up, or dead-letter the body. */
public enum FailureKind {
    /** Transient: 5xx, 408, 429, timeouts, resets, refused connections. The next cycle may succeed. */
    RETRIABLE,
    /** EM refused our credentials, or a token still got 401 right after a fresh logon. */
    AUTHENTICATION,
    /** Will not fix itself: other 4xx, untrusted certificate, bad URL. */
    PERMANENT,
    /** EM answered 2xx but the body is not the XML we expect; the raw bytes go to the DLQ. */
    MALFORMED
}

package dev.vse.event;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.UUID;

/**
 * Deterministic {@code ce_id}s: an RFC 4122 name-based UUID (version 5, SHA-1) in the namespace
 * {@link #NAMESPACE}, over a canonical text that names the change. The same change of the same
 * session on the same EM gives the same id on every run and every instance, so consumers can
 * deduplicate the re-publications that at-least-once delivery allows. The EM is named by its configured
 * id ({@code EM_ID}), never by its URL: moving EM from an IP address to its host name changes no id.
 *
 * <p>Name text: fields joined by {@code '\n'}, each written as {@code <UTF-8 byte length>:<value>} or {@code -}
 * for null (unambiguous whatever the values contain), instants in ISO-8601 ({@link Instant#toString()}):
 * <ul>
 *   <li>COMPLETED / FAILED: {@code v2, emId, sessionUid, ceType} — one per session, so a
 *       re-publication after a crash carries the same id;</li>
 *   <li>CHANGED: {@code v2, emId, sessionUid, ceType, previousState, previousResult, state,
 *       result, isRetry, endTime}, plus {@code progress} only for a progress-only record.</li>
 *   <li>job alerts: {@code v2, emId, jobUid, ceType, firstFailedSessionUid} — one failed and one resolved id per
 *       incident, whichever session caused it and however often it is published;</li>
 * </ul>
 * Reproducible elsewhere, e.g. Python: {@code uuid.uuid5(NAMESPACE, "2:v2\n4:em01\n...")}. Version 1 of the
 * recipe (before 2026-12) named the EM by its URL; its ids differ from these for every record.
 */
public final class EventIds {
    /** Namespace of all ids of this project (a fixed random UUID). */
    public static final UUID NAMESPACE = UUID.fromString("5b0c7e52-8a0e-4c43-9d5e-4c1f3a6e2b17");

    /** The version of the recipe, the first field of every name; bump it if the recipe ever changes again. */
    static final String RECIPE = "v2";

    private EventIds() { }

    public static String terminal(String emId, String sessionUid, EventType type) {
        if (!type.isTerminal()) {
            throw new IllegalArgumentException("not a terminal type: " + type);
        }
        return uuid(RECIPE, emId, sessionUid, type.ceType()).toString();
    }

    public static String changed(String emId, String sessionUid, String previousState, String previousResult,
                                 String state, String result, Boolean isRetry, Instant endTime) {
        return uuid(RECIPE, emId, sessionUid, EventType.CHANGED.ceType(), previousState, previousResult,
                state, result, str(isRetry), str(endTime)).toString();
    }

    /** A CHANGED record caused by progress alone (only when progress changes are enabled). */
    public static String progressChanged(String emId, String sessionUid, String state, String result,
                                         Boolean isRetry, Instant endTime, Integer progress) {
        return uuid(RECIPE, emId, sessionUid, EventType.CHANGED.ceType(), state, result, state, result,
                str(isRetry), str(endTime), "progress", str(progress)).toString();
    }

    /** A job alert: one id per incident (named by its first failure) and alert type. */
    public static String jobAlert(String emId, String jobUid, String ceType, String firstFailedSessionUid) {
        return uuid(RECIPE, emId, jobUid, ceType, firstFailedSessionUid).toString();
    }

    static UUID uuid(String... parts) {
        StringBuilder name = new StringBuilder(256);
        for (String part : parts) {
            name.append(part == null ? "-" : utf8Length(part) + ":" + part).append('\n');
        }
        return v5(name.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static UUID v5(byte[] name) {
        MessageDigest sha1 = sha1();
        sha1.update(ByteBuffer.allocate(16).putLong(NAMESPACE.getMostSignificantBits())
                .putLong(NAMESPACE.getLeastSignificantBits()).array());
        byte[] hash = sha1.digest(name);
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);  // version 5
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);  // IETF variant
        ByteBuffer buf = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(buf.getLong(), buf.getLong());
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JRE", e);
        }
    }

    private static String str(Object value) {
        return value == null ? null : value.toString();
    }
}

package dev.vse.detect;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The compact in-memory form of the sessions of one EM ({@link SessionTable}): about 130 bytes of heap per session
 * instead of the ~450 of a {@link SessionSnapshot} keyed by its UID string. Lossless: what {@link #decode} gives
 * back equals what {@link #encode} was given, field by field; whatever does not fit the compact form is kept as it
 * is.
 * <ul>
 *   <li>Key: a UID {@code urn:veeam:<Type>:<guid>} (guid in the lower-case form {@link UUID#toString} writes) is a
 *       {@link Key} of two longs and a code for its type; any other UID is its own String.</li>
 *   <li>Value: a {@link Compact}: instants as epoch microseconds (EM writes microseconds at most), session type,
 *       State and Result as codes of an open table (unknown values get codes of their own), progress, isRetry and
 *       terminalPublished packed with their nulls, the four job fields as one shared {@link Job}, the href left out
 *       when it is the one this EM writes for that UID (learned from the first href seen per UID type: the text
 *       around the guid). The EM id is the table's. A snapshot with an instant finer than a microsecond (or beyond
 *       ±292,000 years), of another EM id, or when the code table is full, is kept as the {@link SessionSnapshot}
 *       itself.</li>
 * </ul>
 * Readers are lock-free (the code tables, templates and jobs are only ever appended to, and published safely);
 * the methods that learn something new ({@code create} keys, {@link #encode}) are called by the one writer of the
 * table at a time, and synchronise among themselves anyway.
 */
final class CompactSessions {
    private static final String PREFIX = "urn:veeam:";
    private static final int GUID = 36;
    /** An absent instant. */
    static final long NONE = Long.MIN_VALUE;

    private static final int PROGRESS = 1;
    private static final int RETRY_FALSE = 2;
    private static final int RETRY_TRUE = 4;
    private static final int TERMINAL_PUBLISHED = 8;
    private static final int HREF_DERIVED = 16;

    private final String emId;
    /** UID types ({@code BackupJobSession}...), code = index; never null. */
    private final Codes uidTypes = new Codes(Integer.MAX_VALUE - 8, false);
    /** Session types, States and Results; 0 is null, codes fit a char. */
    private final Codes values = new Codes(Character.MAX_VALUE, true);
    /** The href template of each UID type code, null until learned. */
    private volatile Template[] templates = new Template[4];
    private final Map<Job, Job> jobs = new ConcurrentHashMap<>();
    private final Map<String, String> pool = new ConcurrentHashMap<>();

    /** @param emId the EM of the table; null: none (every session is kept as it is) */
    CompactSessions(String emId) {
        this.emId = emId;
    }

    String emId() {
        return emId;
    }

    /** The key of a UID in a table ({@link Key} or the UID itself); null when {@code !create} and none can exist. */
    Object key(String uid, boolean create) {
        int n = uid.length();
        if (n < PREFIX.length() + 1 + GUID || !uid.startsWith(PREFIX) || uid.charAt(n - GUID - 1) != ':') {
            return uid;
        }
        int g = n - GUID;
        if (!validGuid(uid, g)) {
            return uid;
        }
        long hi = hex(uid, g, 8) << 32 | hex(uid, g + 9, 4) << 16 | hex(uid, g + 14, 4);
        long lo = hex(uid, g + 19, 4) << 48 | hex(uid, g + 24, 12);
        String type = uid.substring(PREFIX.length(), n - GUID - 1);
        int code = create ? uidTypes.add(type) : uidTypes.code(type);
        if (code < 0) {
            return create ? uid : null;  // create: cannot happen (the UID type table has room for ever)
        }
        return new Key(hi, lo, code);
    }

    /** The UID a key stands for. */
    String uid(Object key) {
        if (key instanceof Key k) {
            return PREFIX + uidTypes.string(k.type) + ':' + new UUID(k.hi, k.lo);
        }
        return (String) key;
    }

    /** The value to store for {@code s} under {@code key} (from {@link #key}, create): a {@link Compact} if it fits. */
    Object encode(Object key, SessionSnapshot s) {
        if (!s.emId().equals(emId) || !fits(s.creationTime()) || !fits(s.endTime()) || !fits(s.lastChanged())) {
            return s.canonical(this::share);
        }
        int sessionType = values.add(s.sessionType());
        int state = values.add(s.state());
        int result = values.add(s.result());
        if (sessionType < 0 || state < 0 || result < 0) {
            return s.canonical(this::share);
        }
        int flags = 0;
        int progress = 0;
        if (s.progress() != null) {
            flags |= PROGRESS;
            progress = s.progress();
        }
        if (s.isRetry() != null) {
            flags |= s.isRetry() ? RETRY_TRUE : RETRY_FALSE;
        }
        if (s.terminalPublished()) {
            flags |= TERMINAL_PUBLISHED;
        }
        String href = s.href();
        if (href != null && key instanceof Key k && derivable(k.type, s.uid(), href)) {
            flags |= HREF_DERIVED;
            href = null;
        }
        return new Compact(job(s), href, micros(s.creationTime()), micros(s.endTime()), micros(s.lastChanged()),
                progress, (char) sessionType, (char) state, (char) result, (byte) flags);
    }

    /** The snapshot a stored value stands for; {@code uid} is the UID of {@code key}. */
    SessionSnapshot decode(Object key, String uid, Object value) {
        if (value instanceof SessionSnapshot s) {
            return s;
        }
        Compact c = (Compact) value;
        int f = c.flags;
        String href = c.href;
        if ((f & HREF_DERIVED) != 0) {
            Template t = templates[((Key) key).type];
            href = t.prefix + uid.substring(uid.length() - GUID) + t.suffix;
        }
        Job job = c.job;
        return new SessionSnapshot(emId, uid, values.string(c.sessionType), href, job.jobUid, job.jobName,
                job.jobType, job.backupServer, instant(c.created), instant(c.ended), values.string(c.state),
                values.string(c.result), (f & PROGRESS) != 0 ? Integer.valueOf(c.progress) : null,
                (f & RETRY_TRUE) != 0 ? Boolean.TRUE : (f & RETRY_FALSE) != 0 ? Boolean.FALSE : null,
                (f & TERMINAL_PUBLISHED) != 0, instant(c.changed));
    }

    /**
     * Whether a stored value is Stopped and ended (or, lacking EndTime, last changed) before {@code bound}; the
     * same rule as on snapshots, without decoding. {@code boundMicros}: {@link #micros} of bound, or {@link #NONE}
     * when it does not fit.
     */
    boolean prunable(Object value, Instant bound, long boundMicros) {
        if (value instanceof SessionSnapshot s) {
            Instant at = s.endTime() != null ? s.endTime() : s.lastChanged();
            return SessionStates.isStopped(s.state()) && at != null && at.isBefore(bound);
        }
        Compact c = (Compact) value;
        long at = c.ended != NONE ? c.ended : c.changed;
        if (at == NONE || !SessionStates.isStopped(values.string(c.state))) {
            return false;
        }
        return boundMicros != NONE ? at < boundMicros : instant(at).isBefore(bound);
    }

    // --- parts ---------------------------------------------------------------------------------------

    private Job job(SessionSnapshot s) {
        Job job = new Job(s.jobUid(), s.jobName(), s.jobType(), s.backupServer());
        Job existing = jobs.get(job);
        if (existing != null) {
            return existing;
        }
        synchronized (jobs) {
            existing = jobs.putIfAbsent(job, job);
            return existing == null ? job : existing;
        }
    }

    private String share(String value) {
        if (value == null) {
            return null;
        }
        String existing = pool.putIfAbsent(value, value);
        return existing == null ? value : existing;
    }

    /** Whether {@code href} is the template's form for {@code uid}; learns the template of a new UID type. */
    private boolean derivable(int type, String uid, String href) {
        Template[] ts = templates;
        Template t = type < ts.length ? ts[type] : null;
        if (t == null) {
            t = learn(type, uid, href);
            if (t == null) {
                return false;
            }
        }
        return href.length() == t.prefix.length() + GUID + t.suffix.length() && href.startsWith(t.prefix)
                && href.endsWith(t.suffix) && href.regionMatches(t.prefix.length(), uid, uid.length() - GUID, GUID);
    }

    private synchronized Template learn(int type, String uid, String href) {
        Template[] ts = templates;
        if (type < ts.length && ts[type] != null) {
            return ts[type];
        }
        String guid = uid.substring(uid.length() - GUID);
        int at = href.indexOf(guid);
        if (at < 0) {
            return null;  // learnt from a later href that holds the guid
        }
        Template t = new Template(href.substring(0, at), href.substring(at + GUID));
        Template[] next = type < ts.length ? ts.clone() : Arrays.copyOf(ts, Math.max(type + 1, ts.length * 2));
        next[type] = t;
        templates = next;
        return t;
    }

    /** Whether an instant fits the compact form: null, or a whole number of microseconds in range (not NONE). */
    static boolean fits(Instant t) {
        if (t == null) {
            return true;
        }
        if (t.getNano() % 1_000 != 0) {
            return false;
        }
        long s = t.getEpochSecond();
        // |micros| < 2^63 - 1, and never Long.MIN_VALUE (NONE)
        return s > Long.MIN_VALUE / 1_000_000 + 1 && s < Long.MAX_VALUE / 1_000_000 - 1;
    }

    /** Epoch microseconds of an instant that {@link #fits}; {@link #NONE} for null. */
    static long micros(Instant t) {
        return t == null ? NONE : t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }

    static Instant instant(long micros) {
        return micros == NONE ? null
                : Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    /** {@code len} lower-case hex digits at {@code from} (checked by {@link #validGuid}). */
    private static long hex(String s, int from, int len) {
        long v = 0;
        for (int i = from; i < from + len; i++) {
            char c = s.charAt(i);
            v = v << 4 | (c <= '9' ? c - '0' : c - 'a' + 10);
        }
        return v;
    }

    /** The 36 characters at {@code from} are a guid as {@link UUID#toString} writes it. */
    private static boolean validGuid(String s, int from) {
        for (int i = 0; i < GUID; i++) {
            char c = s.charAt(from + i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** The key of a UID in the EM form: the guid's two longs and the code of its type. */
    static final class Key {
        final long hi;
        final long lo;
        final int type;

        Key(long hi, long lo, int type) {
            this.hi = hi;
            this.lo = lo;
            this.type = type;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hi == hi && k.lo == lo && k.type == type;
        }

        @Override
        public int hashCode() {
            long h = hi * 0x9E3779B97F4A7C15L ^ lo ^ type;
            return (int) (h ^ h >>> 32);
        }
    }

    /** One session's values; see the class comment. */
    static final class Compact {
        final Job job;
        /** The href when not derived (or null). */
        final String href;
        final long created;
        final long ended;
        final long changed;
        final int progress;
        final char sessionType;
        final char state;
        final char result;
        final byte flags;

        Compact(Job job, String href, long created, long ended, long changed, int progress, char sessionType,
                char state, char result, byte flags) {
            this.job = job;
            this.href = href;
            this.created = created;
            this.ended = ended;
            this.changed = changed;
            this.progress = progress;
            this.sessionType = sessionType;
            this.state = state;
            this.result = result;
            this.flags = flags;
        }
    }

    /** The job fields, one shared object per distinct combination. */
    record Job(String jobUid, String jobName, String jobType, String backupServer) { }

    /** An EM's href of a UID type: prefix + guid + suffix. */
    private record Template(String prefix, String suffix) { }

    /** An append-only table of strings and their codes; readers need no lock. */
    static final class Codes {
        private final Map<String, Integer> codes = new ConcurrentHashMap<>();
        private final int max;
        private final boolean nullIsZero;
        private volatile String[] strings;
        private int size;

        Codes(int max, boolean nullIsZero) {
            this.max = max;
            this.nullIsZero = nullIsZero;
            this.strings = new String[8];
            this.size = nullIsZero ? 1 : 0;
        }

        /** The code of {@code s}; -1 when it has none. */
        int code(String s) {
            if (s == null) {
                return nullIsZero ? 0 : -1;
            }
            Integer c = codes.get(s);
            return c == null ? -1 : c;
        }

        /** The code of {@code s}, given one if need be; -1 when the table is full. */
        int add(String s) {
            int c = code(s);
            return c >= 0 || s == null ? c : addNew(s);
        }

        private synchronized int addNew(String s) {
            Integer c = codes.get(s);
            if (c != null) {
                return c;
            }
            if (size > max) {
                return -1;
            }
            String[] a = strings;
            if (size == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[size] = s;
            strings = a;  // publishes a[size] before its code can be read
            codes.put(s, size);
            return size++;
        }

        String string(int code) {
            return strings[code];
        }
    }
}

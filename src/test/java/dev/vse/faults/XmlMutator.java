package dev.vse.faults;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A seeded, structure-aware mutation fuzzer for EM XML bodies. Each call applies 1 to 3 mutations drawn
 * from: byte flips, truncation, element duplication/removal, random tag/attribute/entity/markup insertion,
 * invalid UTF-8, huge values, odd timestamps, odd numbers/booleans/states, and missing or empty UID/State.
 * Same seed, same corpus: same inputs.
 */
final class XmlMutator {
    /** Mutation kinds, for the statistics printed by the tests. */
    enum Op { FLIP, TRUNCATE, DUPLICATE, REMOVE, INSERT_MARKUP, INVALID_UTF8, HUGE_VALUE, ODD_TIMESTAMP, ODD_VALUE, MISSING_KEY }

    private static final String[] ELEMENTS = {"BackupJobSession", "ReplicaJobSession", "BackupJobSessions", "Entities",
        "PagingInfo", "Links", "Link", "JobUid", "JobName", "JobType", "CreationTimeUTC", "EndTimeUTC", "State", "Result",
        "Progress", "IsRetry", "FailureMessage"};
    private static final String[] VALUE_ELEMENTS = {"JobUid", "JobName", "JobType", "CreationTimeUTC", "EndTimeUTC", "State",
        "Result", "Progress", "IsRetry", "FailureMessage"};
    private static final String[] MARKUP = {"<Foo>", "</Bar>", "<Baz/>", "<State>", "</State>", "<BackupJobSession>",
        " Extra=\"1\"", " UID=\"urn:veeam:BackupJobSession:dup\"", "&amp;", "&lt;", "&#0;", "&#x1F600;", "&#xD800;",
        "&unknown;", "&", "<", ">", "\"", "'", "<![CDATA[x<y]]>", "<!-- c -->", "<?pi data?>", "<!DOCTYPE x>",
        "<!ENTITY e \"v\">", "xmlns=\"urn:other\"", " xmlns:p=\"urn:p\"", "<p:State xmlns:p=\"urn:p\">X</p:State>",
        "\u0000", "\u0001", "\uFFFE", "\t\r\n", "<?xml version=\"1.0\"?>", "\uFEFF", "]]>"};
    private static final String[] TIMESTAMPS = {"", " ", "not-a-date", "2025-13-45T99:99:99Z", "0000-01-01T00:00:00Z",
        "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+1000000000-01-01T00:00:00Z",
        "2025-08-15T20:00:24+14:00", "2025-08-15T20:00:24-12:00", "2025-08-15T20:00:24", "1970-01-01T00:00:00Z",
        "2025-08-15T20:00:24.1234567Z", "2025-08-15T20:00:24.123456789123Z", "9999-12-31T23:59:59.999999999Z",
        " 2025-08-15T20:00:24Z ", "05:47:39.7Z", "2025-02-29T00:00:00Z", "2024-02-29T24:00:00Z", "2038-01-19T03:14:08Z",
        "1900-01-01T00:00:00Z", "2025-08-15", "2025-08-15T20:00:24ZZ", "\u0662\u0660\u0662\u0665-08-15T20:00:24Z"};
    private static final String[] ODD_VALUES = {"", " ", "-1", "0", "101", "2147483648", "-2147483649", "99999999999999999999",
        "abc", "1.5", "1e3", "0x10", "true", "maybe", "TRUE", "1", "Stopped", "stopped", "STOPPED", "Working", "Failed",
        "Unknown", "None", "\u00e9t\u00e4t", "\u202eRTL", "\uD83D\uDE00", "null", "<", "&amp;&amp;", "a\nb", "\t"};
    private static final byte[][] INVALID_UTF8 = {{(byte) 0xFF}, {(byte) 0xC3, 0x28}, {(byte) 0xC0, (byte) 0xAF},
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82},
        {(byte) 0x80}, {(byte) 0xFE, (byte) 0xFF}, {0}};

    private final Random random;
    private final long[] opCounts = new long[Op.values().length];
    private final int maxHuge;

    XmlMutator(long seed, int maxHuge) {
        this.random = new Random(seed);
        this.maxHuge = maxHuge;
    }

    long count(Op op) {
        return opCounts[op.ordinal()];
    }

    Random random() {
        return random;
    }

    /** 1..3 mutations of {@code seed}. */
    byte[] mutate(byte[] seed) {
        byte[] b = seed;
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            Op op = Op.values()[random.nextInt(Op.values().length)];
            opCounts[op.ordinal()]++;
            b = apply(op, b);
        }
        return b;
    }

    private byte[] apply(Op op, byte[] b) {
        return switch (op) {
            case FLIP -> flip(b);
            case TRUNCATE -> java.util.Arrays.copyOf(b, b.length == 0 ? 0 : random.nextInt(b.length));
            case DUPLICATE -> element(b, true);
            case REMOVE -> element(b, false);
            case INSERT_MARKUP -> insert(b, pick(MARKUP).getBytes(StandardCharsets.UTF_8));
            case INVALID_UTF8 -> insert(b, INVALID_UTF8[random.nextInt(INVALID_UTF8.length)]);
            case HUGE_VALUE -> replaceValue(b, pick(VALUE_ELEMENTS), huge());
            case ODD_TIMESTAMP -> replaceValue(b, random.nextBoolean() ? "CreationTimeUTC" : "EndTimeUTC", pick(TIMESTAMPS));
            case ODD_VALUE -> replaceValue(b, pick(VALUE_ELEMENTS), pick(ODD_VALUES));
            case MISSING_KEY -> missingKey(b);
        };
    }

    private byte[] flip(byte[] b) {
        if (b.length == 0) {
            return b;
        }
        byte[] out = b.clone();
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips; i++) {
            int at = random.nextInt(out.length);
            out[at] = (byte) (out[at] ^ (1 << random.nextInt(8)));
        }
        return out;
    }

    private byte[] insert(byte[] b, byte[] what) {
        int at = b.length == 0 ? 0 : random.nextInt(b.length + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + what.length);
        out.write(b, 0, at);
        out.writeBytes(what);
        out.write(b, at, b.length - at);
        return out.toByteArray();
    }

    /** Duplicates or removes one occurrence of a random element (or, for sessions, a whole entity). */
    private byte[] element(byte[] b, boolean duplicate) {
        String s = new String(b, StandardCharsets.ISO_8859_1); // byte-preserving
        String name = pick(ELEMENTS);
        Matcher m = Pattern.compile("<" + name + "\\b[^>]*?(/>|>.*?</" + name + ">)", Pattern.DOTALL).matcher(s);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        if (spans.isEmpty()) {
            return b;
        }
        int[] span = spans.get(random.nextInt(spans.size()));
        String segment = s.substring(span[0], span[1]);
        String out = duplicate ? s.substring(0, span[1]) + segment + s.substring(span[1])
                : s.substring(0, span[0]) + s.substring(span[1]);
        return out.getBytes(StandardCharsets.ISO_8859_1);
    }

    private byte[] replaceValue(byte[] b, String name, String value) {
        String s = new String(b, StandardCharsets.ISO_8859_1);
        Matcher m = Pattern.compile("(<" + name + ">)([^<]*)(</" + name + ">)").matcher(s);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(2), m.end(2)});
        }
        if (spans.isEmpty()) {
            return b;
        }
        int[] span = spans.get(random.nextInt(spans.size()));
        String encoded = new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        return (s.substring(0, span[0]) + encoded + s.substring(span[1])).getBytes(StandardCharsets.ISO_8859_1);
    }

    private byte[] missingKey(byte[] b) {
        String s = new String(b, StandardCharsets.ISO_8859_1);
        String out = switch (random.nextInt(5)) {
            case 0 -> s.replaceFirst(" UID=\"[^\"]*\"", "");
            case 1 -> s.replaceFirst(" UID=\"[^\"]*\"", " UID=\"\"");
            case 2 -> s.replaceFirst("<State>[^<]*</State>", "");
            case 3 -> s.replaceFirst("<State>[^<]*</State>", "<State></State>");
            default -> s.replaceFirst("<CreationTimeUTC>[^<]*</CreationTimeUTC>", "");
        };
        return out.getBytes(StandardCharsets.ISO_8859_1);
    }

    private String huge() {
        int size = random.nextInt(50) == 0 ? maxHuge : 1_000 + random.nextInt(Math.max(1, maxHuge / 10));
        char c = (char) ('A' + random.nextInt(26));
        return random.nextBoolean() ? String.valueOf(c).repeat(size) : "\u00e9\uD83D\uDE00".repeat(size / 3 + 1);
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }
}

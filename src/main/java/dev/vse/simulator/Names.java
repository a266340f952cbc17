package dev.vse.simulator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import java.util.UUID;

/** Naming conventions of EM: session names, GUIDs. */
final class Names {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private Names() { }

    /** {@code 2025-08-16 05:17:38.22142}: seconds, plus the fraction (µs precision, trailing zeros dropped) when non-zero. */
    static String timestamp(Instant t) {
        if (t == null) {
            return "";
        }
        String s = SECONDS.format(t);
        int micros = t.getNano() / 1000;
        if (micros == 0) {
            return s;
        }
        String frac = String.format("%06d", micros).replaceAll("0+$", "");
        return s + "." + frac;
    }

    /** A GUID from a seeded random, so that the same seed gives the same ids. */
    static String guid(Random random) {
        return new UUID((random.nextLong() & 0xffffffffffff0fffL) | 0x4000L,
                (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L).toString();
    }
}

package dev.vse.app;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as users write them: {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}, {@code 500ms} or ISO-8601 ({@code PT1M}). */
public final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() { }

    /** Parses {@code text}; throws {@link IllegalArgumentException} saying what is accepted. */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase();
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(t.toUpperCase());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (use 30s, 5m, 2h, 7d or ISO-8601 like PT1M)");
        }
    }
}

package dev.vse.util;

/**
 * Log lines and record headers say what happened in one line: exception messages (XML parsers and the JDK
 * put line breaks and indentation in theirs) are folded to single spaces and cut at a length.
 */
public final class OneLine {
    /** The default cut: long enough for a parser's position and reason, short enough for a log line. */
    public static final int DEFAULT_MAX = 300;

    private OneLine() { }

    /** {@code text} on one line, cut after {@link #DEFAULT_MAX} characters; "" for null. */
    public static String of(String text) {
        return of(text, DEFAULT_MAX);
    }

    /** {@code text} on one line, cut after {@code max} characters (then ending in "..."); "" for null. */
    public static String of(String text, int max) {
        if (text == null) {
            return "";
        }
        String t = text.replaceAll("\\s+", " ").trim();
        return t.length() > max ? t.substring(0, max) + "..." : t;
    }

    /**
     * The message of {@code t} on one line, or of its first cause that has one (the JDK's keystore and socket
     * exceptions often wrap a message-less one); the class name when none has a message.
     */
    public static String message(Throwable t) {
        Throwable m = t;
        for (int depth = 0; m != null && m.getMessage() == null && depth < 20; depth++) {
            m = m.getCause();
        }
        return m == null ? t.getClass().getSimpleName() : of(m.getMessage());
    }
}

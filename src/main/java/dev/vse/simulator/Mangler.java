package dev.vse.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Damages bodies for fault injection. */
final class Mangler {
    private Mangler() { }

    /** Still starts like the real document, but a mismatched end tag makes it not well-formed. */
    static byte[] malformed(byte[] xml) {
        String s = new String(xml, StandardCharsets.UTF_8);
        int close = s.lastIndexOf("</");
        if (close < 0) {
            close = s.length();
        }
        return (s.substring(0, close) + "<Broken></Mismatched>" + s.substring(close)).getBytes(StandardCharsets.UTF_8);
    }

    /** The first half of the document (Content-Length matches what is sent). */
    static byte[] truncated(byte[] xml) {
        return Arrays.copyOf(xml, Math.max(1, xml.length / 2));
    }

    static byte[] withBom(byte[] body) {
        byte[] out = new byte[body.length + 3];
        out[0] = (byte) 0xEF;
        out[1] = (byte) 0xBB;
        out[2] = (byte) 0xBF;
        System.arraycopy(body, 0, out, 3, body.length);
        return out;
    }

    /**
     * Adds elements and attributes no EM version defines: a nested element right after the root's start tag,
     * and an unknown attribute plus an unknown element at the start of each session entity.
     */
    static byte[] withUnknownElements(byte[] xml) {
        String s = new String(xml, StandardCharsets.UTF_8);
        int root = s.indexOf('<', s.startsWith("<?") ? s.indexOf("?>") + 2 : 0);
        int rootEnd = root < 0 ? -1 : s.indexOf('>', root);
        if (rootEnd < 0 || s.charAt(rootEnd - 1) == '/') {
            return xml;
        }
        StringBuilder out = new StringBuilder(s.length() + 256);
        out.append(s, 0, rootEnd + 1)
                .append("<FutureRootInfo Level=\"9\"><Nested Kind=\"x\">text &amp; more</Nested><Empty/></FutureRootInfo>");
        String rest = s.substring(rootEnd + 1);
        rest = rest.replaceAll("<(BackupJobSession|ReplicaJobSession)( [^>]*[^/])>",
                "<$1$2 FutureAttribute=\"42\"><FutureField><Deep><Deeper>7</Deeper></Deep></FutureField>");
        out.append(rest);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The session elements whose UID ends with one of {@code guids} get {@code <CreationTimeUTC>not-a-date</...>};
     * the rest of the document is untouched and well-formed.
     */
    static byte[] withCorruptSessions(byte[] xml, java.util.Set<String> guids) {
        if (guids.isEmpty()) {
            return xml;
        }
        String s = new String(xml, StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("<(BackupJobSession|ReplicaJobSession)[ >].*?</\\1>", java.util.regex.Pattern.DOTALL).matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            String element = m.group();
            java.util.regex.Matcher uid = java.util.regex.Pattern.compile("^<[^>]*\\bUID=\"[^\"]*:([^\":]+)\"").matcher(element);
            if (uid.find() && guids.contains(uid.group(1).toLowerCase(java.util.Locale.ROOT))) {
                element = element.replaceFirst("<CreationTimeUTC>[^<]*</CreationTimeUTC>", "<CreationTimeUTC>not-a-date</CreationTimeUTC>");
            }
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(element));
        }
        m.appendTail(out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}

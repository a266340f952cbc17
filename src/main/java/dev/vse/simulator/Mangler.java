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
}

package dev.vse.detect;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Line framing of the state files: {@code <crc32 of payload, 8 hex digits> <payload>\n}, payload a
 * single-line JSON object. A record counts only if it ends with {@code \n} and its checksum matches,
 * so a record torn by a crash (or by a full disk) is recognised on replay.
 */
final class FramedLines {
    private FramedLines() { }

    static byte[] frame(byte[] payload) {
        byte[] line = new byte[payload.length + 10];
        byte[] crc = String.format("%08x", crc(payload, payload.length)).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(crc, 0, line, 0, 8);
        line[8] = ' ';
        System.arraycopy(payload, 0, line, 9, payload.length);
        line[line.length - 1] = '\n';
        return line;
    }

    /** Receives each intact payload; returns normally or throws to abort. */
    interface Sink {
        void accept(byte[] payload) throws IOException;
    }

    /**
     * Reads records until the end or the first damaged one.
     *
     * @return the offset just after the last intact record (equals the file length when all are intact)
     */
    static long read(Path file, Sink sink) throws IOException {
        long good = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int start = 0;
            int end = 0;
            while (true) {
                int nl = indexOf(buf, start, end, (byte) '\n');
                if (nl >= 0) {
                    byte[] payload = payload(buf, start, nl);
                    if (payload == null) {
                        return good;
                    }
                    sink.accept(payload);
                    good += nl + 1 - start;
                    start = nl + 1;
                    continue;
                }
                if (start > 0) {  // keep the partial line, make room behind it
                    System.arraycopy(buf, start, buf, 0, end - start);
                    end -= start;
                    start = 0;
                }
                if (end == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
                int n = in.read(buf, end, buf.length - end);
                if (n < 0) {
                    return good;  // a trailing fragment without '\n' is a torn record
                }
                end += n;
            }
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /** The first {@code b} in {@code buf[from, to)}, 8 bytes at a time (the load path scans every byte). */
    static int indexOf(byte[] buf, int from, int to, byte b) {
        long pattern = ONES * (b & 0xFF);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long w = (long) LONGS.get(buf, i) ^ pattern;
            long zero = (w - ONES) & ~w & HIGHS;  // the lowest flagged byte is the first equal to b
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] payload(byte[] buf, int from, int to) {
        if (to - from < 9 || buf[from + 8] != ' ') {
            return null;
        }
        long expected = hex8(buf, from);
        if (expected < 0) {
            try {  // a sign, or no hex digit: as Long.parseLong judges it
                expected = Long.parseLong(new String(buf, from, 8, StandardCharsets.US_ASCII), 16);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        byte[] payload = Arrays.copyOfRange(buf, from + 9, to);
        return crc(payload, payload.length) == expected ? payload : null;
    }

    /** 8 hex digits (either case) at {@code from}; -1 when any byte is something else. */
    private static long hex8(byte[] buf, int from) {
        long v = 0;
        for (int i = from; i < from + 8; i++) {
            int c = buf[i];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }

    private static long crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }
}

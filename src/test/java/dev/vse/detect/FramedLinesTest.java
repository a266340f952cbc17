package dev.vse.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The word-at-a-time scan and checksum parsing of {@link FramedLines} judge exactly as the plain ones. */
class FramedLinesTest {

    @Test
    void indexOf_findsTheFirstOccurrenceLikeAPlainScan() {
        Random random = new Random(7);
        for (int round = 0; round < 20_000; round++) {
            byte[] buf = new byte[random.nextInt(40)];
            for (int i = 0; i < buf.length; i++) {
                int r = random.nextInt(6);
                buf[i] = (byte) (r == 0 ? '\n' : r == 1 ? 0 : r == 2 ? 0x8a : r == 3 ? 0x0b : r == 4 ? 0x09 : random.nextInt(256));
            }
            int from = buf.length == 0 ? 0 : random.nextInt(buf.length);
            int to = from + (buf.length == from ? 0 : random.nextInt(buf.length - from + 1));
            byte b = random.nextBoolean() ? (byte) '\n' : (byte) random.nextInt(256);
            int expected = -1;
            for (int i = from; i < to; i++) {
                if (buf[i] == b) {
                    expected = i;
                    break;
                }
            }
            assertThat(FramedLines.indexOf(buf, from, to, b)).isEqualTo(expected);
        }
    }

    @Test
    void checksumsInEitherCase_areAccepted_andDamagedOnesRejected(@TempDir Path dir) throws Exception {
        byte[] a = FramedLines.frame("{\"t\":\"x\",\"n\":1}".getBytes(StandardCharsets.UTF_8));
        byte[] b = FramedLines.frame("{\"t\":\"x\",\"n\":2}".getBytes(StandardCharsets.UTF_8));
        String upper = new String(b, StandardCharsets.US_ASCII);
        upper = upper.substring(0, 8).toUpperCase() + upper.substring(8);
        String signed = "+" + new String(a, StandardCharsets.US_ASCII).substring(1);  // sign instead of a digit
        Path file = dir.resolve("f");
        Files.write(file, (new String(a, StandardCharsets.US_ASCII) + upper + signed).getBytes(StandardCharsets.US_ASCII));
        List<String> read = new ArrayList<>();

        long good = FramedLines.read(file, p -> read.add(new String(p, StandardCharsets.UTF_8)));

        assertThat(read).containsExactly("{\"t\":\"x\",\"n\":1}", "{\"t\":\"x\",\"n\":2}");
        assertThat(good).isEqualTo(a.length + b.length);
    }
}

package dev.vse.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Throughput of {@link EmXml#readSessions(byte[])} against the whole-document {@code EmXml.unmarshal(bytes,
 * QueryResult.class)} on the same generated 500-session pages, in the same JVM, rounds interleaved so that both
 * see the same machine. Not a JUnit test; run by hand:
 *
 * <pre>
 * mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt &amp;&amp; mvn -q -o test-compile
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.vse.model.ReadSessionsBench [pages] [rounds]
 * </pre>
 */
public final class ReadSessionsBench {
    private static final int SESSIONS = 500;
    private static volatile Object sink;

    private ReadSessionsBench() { }

    public static void main(String[] args) {
        int pages = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        List<byte[]> good = new ArrayList<>();
        List<byte[]> oneBad = new ArrayList<>();
        for (int p = 0; p < pages; p++) {
            String created = String.format("2025-08-15T20:%02d:24.003406Z", p % 60);
            good.add(SessionPages.page(SESSIONS, n -> created));
            oneBad.add(SessionPages.page(SESSIONS, n -> n == 250 ? "yesterday" : created));
        }
        System.out.printf("%d pages x %d sessions, %d KiB per page; %d warm-up + %d timed rounds each%n",
                pages, SESSIONS, good.get(0).length / 1024, rounds / 2, rounds);
        for (int i = 0; i < rounds / 2; i++) {
            whole(good);
            bySession(good);
            bySession(oneBad);
        }
        double[] w = new double[rounds];
        double[] s = new double[rounds];
        double[] b = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            w[i] = whole(good);
            s[i] = bySession(good);
            b[i] = bySession(oneBad);
        }
        double mw = median(w);
        double ms = median(s);
        double mb = median(b);
        System.out.printf("unmarshal(QueryResult)     %,10.0f sessions/s (median)%n", mw);
        System.out.printf("readSessions, all good     %,10.0f sessions/s (median)  ratio %.2f%n", ms, ms / mw);
        System.out.printf("readSessions, 1 bad / page %,10.0f sessions/s (median)  ratio %.2f%n", mb, mb / mw);
    }

    private static double whole(List<byte[]> pages) {
        long t0 = System.nanoTime();
        int n = 0;
        for (byte[] p : pages) {
            QueryResult q = EmXml.unmarshal(p, QueryResult.class);
            n += q.jobSessions().size();
            sink = q;
        }
        return rate(n, t0);
    }

    private static double bySession(List<byte[]> pages) {
        long t0 = System.nanoTime();
        int n = 0;
        for (byte[] p : pages) {
            SessionPage page = EmXml.readSessions(p);
            n += page.sessionElements();
            sink = page;
        }
        return rate(n, t0);
    }

    private static double rate(int sessions, long t0) {
        return sessions / ((System.nanoTime() - t0) / 1e9);
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}

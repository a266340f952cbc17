package dev.vse.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vse.model.EmXml;
import dev.vse.model.MalformedXmlException;
import dev.vse.model.QueryResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile XML at the parser's door ({@link EmXml}): DTDs, external and parameter entities, entity bombs.
 * Guards against XXE (reading local files or fetching URLs into a published event) and against memory
 * exhaustion by entity expansion: every such body must be refused fast, read nothing, and leave the heap alone.
 */
class HostileXmlTest {
    @TempDir
    Path dir;
    HostileXml hostile;

    @BeforeEach
    void setUp() throws Exception {
        hostile = new HostileXml(dir);
    }

    @AfterEach
    void tearDown() {
        hostile.close();
    }

    @Test
    void givenTheSamePageWithoutHostileParts_whenParsed_thenReadable_soRefusalsBelowAreAboutHostility() {
        QueryResult q = EmXml.unmarshal(HostileXml.page("", "Plain"), QueryResult.class);
        assertThat(q.jobSessions()).singleElement().satisfies(s -> assertThat(s.getJobName()).isEqualTo("Plain"));
    }

    @Test
    void givenEveryHostilePayload_whenParsed_thenRefusedFast_nothingRead_noMarkerAnywhere() {
        for (Map.Entry<String, byte[]> p : hostile.payloads().entrySet()) {
            long started = System.nanoTime();
            Throwable t = catchThrowable(() -> EmXml.unmarshal(p.getValue(), QueryResult.class));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            System.out.printf("[HostileXmlTest] %-48s refused in %4d ms: %s%n", p.getKey(), took.toMillis(),
                    t == null ? "NOT REFUSED" : t.getMessage());
            assertThat(t).as(p.getKey()).isInstanceOf(MalformedXmlException.class);
            assertThat(took).as(p.getKey()).isLessThan(Duration.ofSeconds(2));
            assertThat(fullText(t)).as(p.getKey()).doesNotContain(hostile.marker);
        }
        assertThat(hostile.fetches()).as("nothing fetched over HTTP").isZero();
    }

    @Test
    void givenBillionLaughsAndQuadraticBlowup_whenParsedRepeatedly_thenHeapStaysBounded() {
        byte[] laughs = hostile.payloads().get("billion laughs");
        byte[] quadratic = hostile.payloads().get("quadratic blowup");
        long before = usedHeapAfterGc();
        long started = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            assertThat(catchThrowable(() -> EmXml.unmarshal(laughs, QueryResult.class))).isInstanceOf(MalformedXmlException.class);
            assertThat(catchThrowable(() -> EmXml.unmarshal(quadratic, QueryResult.class))).isInstanceOf(MalformedXmlException.class);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        long after = usedHeapAfterGc();
        System.out.printf("[HostileXmlTest] 400 bomb parses in %d ms; used heap before %d KiB, after %d KiB%n",
                took.toMillis(), before / 1024, after / 1024);
        // expanded, one billion laughs is ~3 GB and the quadratic blowup 1 GB: any expansion would blow these limits
        assertThat(after - before).isLessThan(32L * 1024 * 1024);
        assertThat(took).isLessThan(Duration.ofSeconds(20));
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static String fullText(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null && b.length() < 100_000; c = c.getCause() == c ? null : c.getCause()) {
            b.append(c).append('\n');
        }
        return b.toString();
    }
}

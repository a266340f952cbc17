package dev.vse.em;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.em.support.LogCapture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The skew measurement itself, with a fixed local clock; EmClientTest covers it over HTTP. */
class ClockSkewTest {
    private static final Instant LOCAL_NOW = Instant.parse("2026-03-01T12:00:00Z");
    private final ClockSkew skew = new ClockSkew("em01", Clock.fixed(LOCAL_NOW, ZoneOffset.UTC));
    private LogCapture logs;

    @BeforeEach
    void capture() {
        logs = LogCapture.of(ClockSkew.class.getName());
    }

    @AfterEach
    void stop() {
        logs.close();
    }

    @Test
    void givenNoDateSeen_whenAsked_thenEmpty() {
        skew.observe(null);

        assertThat(skew.latest()).isEmpty();
    }

    @Test
    void givenEmDateBehind_whenObserved_thenNegativeSkewAndOneWarnEvenWhenSeenAgain() {
        skew.observe(LOCAL_NOW.minusSeconds(602));
        skew.observe(LOCAL_NOW.minusSeconds(603));

        assertThat(skew.latest()).contains(Duration.ofSeconds(-603));
        assertThat(logs.lines()).containsExactly("WARN EM em01: its clock is 10m 2s behind this host (Date header); "
                + "query windows and the baseline are widened by that much");
    }

    @Test
    void givenEmDateAhead_whenObserved_thenPositiveSkewAndAheadInTheWarn() {
        skew.observe(LOCAL_NOW.plus(Duration.ofHours(1).plusSeconds(5)));

        assertThat(skew.latest()).contains(Duration.ofSeconds(3605));
        assertThat(logs.all()).contains("its clock is 1h 0m 5s ahead of this host");
    }

    @Test
    void givenSkewOfAMinuteOrLess_whenObserved_thenMeasuredButNoWarn() {
        // the header has 1 s resolution and the answer takes time: small skew is noise, not news
        skew.observe(LOCAL_NOW.minusSeconds(60));
        skew.observe(LOCAL_NOW.plusSeconds(1));

        assertThat(skew.latest()).contains(Duration.ofSeconds(1));
        assertThat(logs.lines()).isEmpty();
    }

    @Test
    void givenRfc1123Dates_whenParsed_thenInstantOrNullWhenUnparseable() {
        assertThat(EmHttp.httpDate("Sun, 01 Mar 2026 12:00:00 GMT")).isEqualTo(LOCAL_NOW);
        assertThat(EmHttp.httpDate("Sun, 1 Mar 2026 11:50:00 GMT")).isEqualTo(LOCAL_NOW.minusSeconds(600));
        assertThat(EmHttp.httpDate(null)).isNull();
        assertThat(EmHttp.httpDate("yesterday")).isNull();
        assertThat(EmHttp.httpDate("2026-03-01T12:00:00Z")).isNull();
    }
}

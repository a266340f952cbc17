package dev.vse.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InitialLoadPolicyTest {
    private static final Instant NOW = Instant.parse("2025-08-15T20:00:00Z");

    @Test
    void givenPolicyTexts_whenParsed_thenMatchingPolicies() {
        assertThat(InitialLoadPolicy.parse("baseline")).isEqualTo(InitialLoadPolicy.BASELINE);
        assertThat(InitialLoadPolicy.parse(null)).isEqualTo(InitialLoadPolicy.BASELINE);
        assertThat(InitialLoadPolicy.parse(" ALL ")).isEqualTo(InitialLoadPolicy.ALL);
        assertThat(InitialLoadPolicy.parse("since:24h")).isEqualTo(InitialLoadPolicy.endedWithin(Duration.ofHours(24)));
        assertThat(InitialLoadPolicy.parse("since:PT24H")).isEqualTo(InitialLoadPolicy.endedWithin(Duration.ofHours(24)));
        assertThat(InitialLoadPolicy.parse("since:7d")).isEqualTo(InitialLoadPolicy.endedWithin(Duration.ofDays(7)));
    }

    @Test
    void givenNonsense_whenParsed_thenClearError() {
        assertThatThrownBy(() -> InitialLoadPolicy.parse("everything")).hasMessageContaining("baseline, all or since:");
        assertThatThrownBy(() -> InitialLoadPolicy.parse("since:soon")).hasMessageContaining("not a duration");
    }

    @Test
    void givenBaselineInstant_thenEachPolicyDrawsItsHistoryBoundary() {
        assertThat(InitialLoadPolicy.BASELINE.historyBefore(NOW)).contains(NOW);
        assertThat(InitialLoadPolicy.ALL.historyBefore(NOW)).isEmpty();
        assertThat(InitialLoadPolicy.endedWithin(Duration.ofHours(24)).historyBefore(NOW))
                .contains(NOW.minus(Duration.ofHours(24)));
    }
}

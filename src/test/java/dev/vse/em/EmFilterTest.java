package dev.vse.em;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmFilterTest {

    @Test
    void givenStringWithSpaces_whenEq_thenDoubleQuoted() {
        assertThat(EmFilter.eq("JobName", "Daily Backup")).isEqualTo("JobName==\"Daily Backup\"");
    }

    @Test
    void givenInnerQuotes_whenEq_thenQuotesDoubled() {
        assertThat(EmFilter.eq("JobName", "say \"hi\"")).isEqualTo("JobName==\"say \"\"hi\"\"\"");
    }

    @Test
    void givenNe_thenBangEquals() {
        assertThat(EmFilter.ne("Result", "Success")).isEqualTo("Result!=\"Success\"");
    }

    @Test
    void givenInstant_whenComparedByTime_thenQuotedUtcWithZ() {
        Instant t = Instant.parse("2025-08-15T06:00:00Z");

        assertThat(EmFilter.ge("CreationTime", t)).isEqualTo("CreationTime>=\"2025-08-15T06:00:00Z\"");
        assertThat(EmFilter.gt("CreationTime", t)).isEqualTo("CreationTime>\"2025-08-15T06:00:00Z\"");
        assertThat(EmFilter.le("EndTime", t)).isEqualTo("EndTime<=\"2025-08-15T06:00:00Z\"");
        assertThat(EmFilter.lt("EndTime", t)).isEqualTo("EndTime<\"2025-08-15T06:00:00Z\"");
    }

    @Test
    void givenBoolean_whenEq_thenUnquoted() {
        assertThat(EmFilter.eq("IsRetry", true)).isEqualTo("IsRetry==true");
    }

    @Test
    void givenTerms_whenAndOr_thenSemicolonCommaAndParentheses() {
        String a = EmFilter.eq("JobType", "Backup");
        String b = EmFilter.eq("Result", "Failed");

        assertThat(EmFilter.and(a, b)).isEqualTo("(JobType==\"Backup\";Result==\"Failed\")");
        assertThat(EmFilter.or(a, b)).isEqualTo("(JobType==\"Backup\",Result==\"Failed\")");
        assertThat(EmFilter.and(EmFilter.or(a, b), EmFilter.ge("CreationTime", Instant.parse("2025-08-16T00:00:00Z"))))
                .isEqualTo("((JobType==\"Backup\",Result==\"Failed\");CreationTime>=\"2025-08-16T00:00:00Z\")");
    }

    @Test
    void givenSingleTerm_whenGrouped_thenUnchanged() {
        assertThat(EmFilter.and(EmFilter.eq("State", "Stopped"))).isEqualTo("State==\"Stopped\"");
    }

    @Test
    void givenValues_whenInAndNotIn_thenOrOfEqAndAndOfNe() {
        assertThat(EmFilter.in("Result", List.of("Warning", "Failed")))
                .isEqualTo("(Result==\"Warning\",Result==\"Failed\")");
        assertThat(EmFilter.notIn("State", List.of("Stopped", "Idle")))
                .isEqualTo("(State!=\"Stopped\";State!=\"Idle\")");
    }

    @Test
    void givenBadInput_thenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> EmFilter.eq("Job Name", "x"));
        assertThatIllegalArgumentException().isThrownBy(() -> EmFilter.eq("JobName==\"a\";X", "x"));
        assertThatIllegalArgumentException().isThrownBy(() -> EmFilter.eq("JobName", (String) null));
        assertThatIllegalArgumentException().isThrownBy(EmFilter::and);
        assertThatIllegalArgumentException().isThrownBy(() -> EmFilter.in("Result", List.of()));
    }
}

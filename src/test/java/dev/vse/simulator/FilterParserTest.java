package dev.vse.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class FilterParserTest {
    private static final Instant T0 = Instant.parse("2025-08-15T06:00:00Z");

    private final SimSession success = SimHttp.session("00000000-0000-0000-0000-000000000001", "Backup Job 1", "Stopped", "Success", T0)
            .setEndTime(T0.plusSeconds(600));
    private final SimSession warning = SimHttp.session("00000000-0000-0000-0000-000000000002", "Say \"hi\" job", "Stopped", "Warning", T0.plusSeconds(3600))
            .setEndTime(T0.plusSeconds(4000)).setRetry(true);
    private final SimSession failed = SimHttp.session("00000000-0000-0000-0000-000000000003", "Backup Job 3", "Stopped", "Failed", T0.plusSeconds(7200))
            .setEndTime(T0.plusSeconds(7300));
    private final SimSession running = SimHttp.session("00000000-0000-0000-0000-000000000004", "Backup Job 4", "Working", "None", T0.plusSeconds(9000));
    private final SimSession waiting = SimHttp.session("00000000-0000-0000-0000-000000000005", "Backup Job 5", "WaitingRepository", "None", T0.plusSeconds(9500));
    private final List<SimSession> all = List.of(success, warning, failed, running, waiting);

    private List<SimSession> select(String filter) {
        Predicate<SimSession> p = new FilterParser<>(QueryTypes.JOB_FIELDS).parse(filter);
        return all.stream().filter(p).toList();
    }

    @Test
    void givenEachComparisonOperator_whenFiltering_thenMatchesAsDocumented() {
        assertThat(select("Result==Failed")).containsExactly(failed);
        assertThat(select("Result!=Success")).containsExactly(warning, failed, running, waiting);
        assertThat(select("CreationTime<\"2025-08-15T07:00:00Z\"")).containsExactly(success);
        assertThat(select("CreationTime<=\"2025-08-15T07:00:00Z\"")).containsExactly(success, warning);
        assertThat(select("CreationTime>\"2025-08-15T08:00:00Z\"")).containsExactly(running, waiting);
        assertThat(select("CreationTime>=\"2025-08-15T08:00:00Z\"")).containsExactly(failed, running, waiting);
    }

    @Test
    void givenEnumerations_whenComparedWithOrderOperators_thenCompareByIndex() {
        assertThat(select("Result>Success")).containsExactly(warning, failed);
        assertThat(select("Result<Warning")).containsExactly(success, running, waiting);
        assertThat(select("State<Stopped")).containsExactly(running);
        // unknown states sort after the known ones
        assertThat(select("State>Stopped")).containsExactly(waiting);
    }

    @Test
    void givenAndOrAndParentheses_whenFiltering_thenAndBindsTighter() {
        assertThat(select("Result==Failed;State==Stopped")).containsExactly(failed);
        assertThat(select("Result==Failed,Result==Warning")).containsExactly(warning, failed);
        // a,b;c = a OR (b AND c)
        assertThat(select("Result==Success,Result==Failed;IsRetry==true")).containsExactly(success);
        assertThat(select("(Result==Success,Result==Warning);IsRetry==true")).containsExactly(warning);
        assertThat(select("jobname==\"Backup Job 1\";(result==\"Success\",result==\"Warning\");creationtime>=\"2025-08-15T00:00:00Z\""))
                .containsExactly(success);
    }

    @Test
    void givenQuotedStrings_whenFiltering_thenSpacesAndDoubledQuotesWork() {
        assertThat(select("JobName==\"Backup Job 3\"")).containsExactly(failed);
        assertThat(select("JobName==\"Say \"\"hi\"\" job\"")).containsExactly(warning);
        // unquoted values lose their spaces, as on EM
        assertThat(select("JobName==Backup Job 3")).isEmpty();
    }

    @Test
    void givenDifferentCase_whenFiltering_thenFieldsAndStringsAreCaseInsensitive() {
        assertThat(select("result==failed")).containsExactly(failed);
        assertThat(select("JOBNAME==\"backup job 1\"")).containsExactly(success);
        assertThat(select("isretry==TRUE")).containsExactly(warning);
    }

    @Test
    void givenDatesInSeveralForms_whenFiltering_thenAllParseAsUtc() {
        assertThat(select("CreationTime==2025-08-15T06:00:00")).containsExactly(success);
        assertThat(select("CreationTime==\"2025-08-15T06:00:00.000Z\"")).containsExactly(success);
        // running sessions have no EndTime and never match an EndTime comparison
        assertThat(select("EndTime>\"2000-01-01T00:00:00Z\"")).containsExactly(success, warning, failed);
        assertThat(select("EndTime!=\"2000-01-01T00:00:00Z\"")).doesNotContain(running, waiting);
    }

    @Test
    void givenBlankFilter_whenParsing_thenEverythingMatches() {
        assertThat(select(null)).hasSize(5);
        assertThat(select("  ")).hasSize(5);
    }

    @Test
    void givenBadSyntax_whenParsing_thenErrorNamesTheProblem() {
        FilterParser<SimSession> p = new FilterParser<>(QueryTypes.JOB_FIELDS);
        assertThatThrownBy(() -> p.parse("Result=Failed")).isInstanceOf(FilterException.class).hasMessageContaining("comparison operator");
        assertThatThrownBy(() -> p.parse("Colour==Red")).isInstanceOf(FilterException.class).hasMessageContaining("unknown field 'Colour'");
        assertThatThrownBy(() -> p.parse("(Result==Failed")).isInstanceOf(FilterException.class).hasMessageContaining("missing ')'");
        assertThatThrownBy(() -> p.parse("JobName==\"open")).isInstanceOf(FilterException.class).hasMessageContaining("unterminated string");
        assertThatThrownBy(() -> p.parse("Result==")).isInstanceOf(FilterException.class).hasMessageContaining("missing value");
        assertThatThrownBy(() -> p.parse("CreationTime>\"yesterday\"")).isInstanceOf(FilterException.class).hasMessageContaining("invalid date");
        assertThatThrownBy(() -> p.parse("Result==Failed)")).isInstanceOf(FilterException.class).hasMessageContaining("unexpected ')'");
        assertThatThrownBy(() -> p.parse("IsRetry==maybe")).isInstanceOf(FilterException.class).hasMessageContaining("invalid boolean");
        assertThatThrownBy(() -> p.parse(";Result==Failed")).isInstanceOf(FilterException.class).hasMessageContaining("field name");
    }

    @Test
    void givenTaskFields_whenFiltering_thenNumbersAndVmNamesWork() {
        SimTaskSession t = new SimTaskSession("10000000-0000-0000-0000-000000000001", "fs01", T0).setTotalSize(2048).setState("Completed");
        Predicate<QueryTypes.TaskRow> p = new FilterParser<>(QueryTypes.TASK_FIELDS).parse("TotalSize>1024;VmDisplayName==FS01;State>InProgress");
        assertThat(p.test(new QueryTypes.TaskRow(success, t))).isTrue();
    }
}

package dev.vse.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.event.JobAlert;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The open set: latest record per key, newer by offset wins, whatever order records arrive in. */
class IncidentsTest {
    private static final Instant T = Instant.parse("2026-12-01T02:14:07Z");
    private final Incidents incidents = new Incidents();
    private final JobAlert failA = TestJobAlerts.failed("job-a", "A", T);
    private final JobAlert resolveA = TestJobAlerts.resolved(failA, T.plusSeconds(600));
    private final JobAlert failB = TestJobAlerts.failed("job-b", "B", T);

    @Test
    void givenFailedThenResolved_thenOpenThenClosed_andTheFailureIsKeptForTheResolutionsLabels() {
        incidents.apply("job-a", 0, 3, failA);
        incidents.apply("job-b", 1, 0, failB);
        assertThat(incidents.openKeys()).containsExactlyInAnyOrder("job-a", "job-b");

        incidents.apply("job-a", 0, 5, resolveA);

        assertThat(incidents.openKeys()).containsExactly("job-b");
        assertThat(incidents.openCount()).isEqualTo(1);
        Incidents.State a = incidents.get("job-a").orElseThrow();
        assertThat(a.latest()).isEqualTo(resolveA);
        assertThat(a.lastOpen()).isEqualTo(failA);
    }

    @Test
    void givenOlderOrRepeatedRecordAfterANewerOne_thenItChangesNothing() {
        // the start-up read saw the resolution; the group's consumer, behind, delivers the failure afterwards
        assertThat(incidents.apply("job-a", 0, 5, resolveA)).isTrue();
        assertThat(incidents.apply("job-a", 0, 3, failA)).isFalse();
        assertThat(incidents.apply("job-a", 0, 5, resolveA)).isFalse();

        assertThat(incidents.openKeys()).isEmpty();
        assertThat(incidents.get("job-a").orElseThrow().offset()).isEqualTo(5);
    }

    @Test
    void givenANewFailureAfterAResolution_thenOpenAgain_withTheNewFailure() {
        JobAlert again = TestJobAlerts.failed("job-a", "A", T.plusSeconds(3600));
        incidents.apply("job-a", 0, 3, failA);
        incidents.apply("job-a", 0, 5, resolveA);
        incidents.apply("job-a", 0, 8, again);

        assertThat(incidents.openKeys()).containsExactly("job-a");
        assertThat(incidents.get("job-a").orElseThrow().lastOpen()).isEqualTo(again);
    }

    @Test
    void givenTombstone_thenNotOpen_butTheFailureItEndsIsRemembered() {
        incidents.apply("job-a", 0, 3, failA);
        incidents.apply("job-a", 0, 4, null);

        assertThat(incidents.openKeys()).isEmpty();
        Incidents.State a = incidents.get("job-a").orElseThrow();
        assertThat(a.latest()).isNull();
        assertThat(a.lastOpen()).isEqualTo(failA);
    }
}

package dev.vse.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {
    private static final String SRC = "em01"; // the EM id, not its URL
    private static final String UID = "urn:veeam:BackupJobSession:d46e39e0-1131-4585-91a7-e828ce7eafae";

    @Test
    void givenTerminalEvent_whenIdComputed_thenPinnedValueAcrossReleases() {
        // pinned: changing the recipe would make consumers see re-publications as new events.
        // Independent check, Python: uuid.uuid5(UUID("5b0c7e52-8a0e-4c43-9d5e-4c1f3a6e2b17"),
        //   "2:v2\n4:em01\n63:urn:veeam:BackupJobSession:d46e...eafae\n20:em.session.failed.v1\n")
        // (recipe v1 named the EM by URL: b8a90541-db2f-502b-81c2-49f8fddaf418 for https://em01:9398/api)
        assertThat(EventIds.terminal(SRC, UID, EventType.FAILED))
                .isEqualTo(EventIds.terminal(SRC, UID, EventType.FAILED))
                .isEqualTo("a2544c3c-74c1-5440-b29e-369c1dcc6d6e");
        assertThat(EventIds.terminal(SRC, UID, EventType.COMPLETED)).isEqualTo("78e6b2c5-a92d-582e-96e0-daee9973c312");
        assertThat(UUID.fromString(EventIds.terminal(SRC, UID, EventType.COMPLETED)).version()).isEqualTo(5);
    }

    @Test
    void givenChangedEvent_whenIdComputed_thenPinnedValueAcrossReleases() {
        assertThat(EventIds.changed(SRC, UID, "Working", "None", "Stopped", "Failed", false,
                Instant.parse("2025-08-15T20:00:24Z"))).isEqualTo("01d8537f-3084-5840-95a8-992e351c8045");
    }

    @Test
    void givenChangedFields_whenIdComputed_thenEachFieldMatters() {
        Instant end = Instant.parse("2025-08-15T20:00:24Z");
        String base = EventIds.changed(SRC, UID, "Working", "None", "Stopped", "Failed", false, end);

        assertThat(EventIds.changed(SRC, UID, "Working", "None", "Stopped", "Failed", false, end)).isEqualTo(base);
        assertThat(EventIds.changed(SRC, UID, "Starting", "None", "Stopped", "Failed", false, end)).isNotEqualTo(base);
        assertThat(EventIds.changed(SRC, UID, "Working", null, "Stopped", "Failed", false, end)).isNotEqualTo(base);
        assertThat(EventIds.changed(SRC, UID, "Working", "None", "Stopped", "Failed", true, end)).isNotEqualTo(base);
        assertThat(EventIds.changed(SRC, UID, "Working", "None", "Stopped", "Failed", false, null)).isNotEqualTo(base);
        assertThat(EventIds.changed(SRC, UID, null, null, "Stopped", "Failed", false, end)).isNotEqualTo(base);
    }

    @Test
    void givenValuesThatConcatenateAlike_whenIdComputed_thenStillDifferent() {
        assertThat(EventIds.changed(SRC, UID, "ab", "c", "Stopped", null, null, null))
                .isNotEqualTo(EventIds.changed(SRC, UID, "a", "bc", "Stopped", null, null, null));
        assertThat(EventIds.changed(SRC, UID, null, null, "Stopped", null, null, null))
                .isNotEqualTo(EventIds.changed(SRC, UID, "-", null, "Stopped", null, null, null));
    }
}

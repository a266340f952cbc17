package dev.vse.event;

import java.time.Instant;

/** Sample records as the detector produces them. */
final class TestEvents {
    static final String SOURCE = "https://em01:9398/api";
    static final String UID = "urn:veeam:BackupJobSession:d46e39e0-1131-4585-91a7-e828ce7eafae";
    static final Instant CREATED = Instant.parse("2025-08-15T19:40:00Z");
    static final Instant ENDED = Instant.parse("2025-08-15T20:00:24.003406Z");
    static final Instant DETECTED = Instant.parse("2025-08-15T20:05:00Z");

    private TestEvents() { }

    static SessionEvent failed() {
        return new SessionEvent(EventType.FAILED, EventIds.terminal("em01", UID, EventType.FAILED), SOURCE, UID, ENDED,
                "em01", UID, "BackupJobSession", "Fileserver Backup@2025-08-15 19:40:00",
                "urn:veeam:Job:4856ab37-2235-45e8-affe-d515878b01a9", "Fileserver Backup", "Backup",
                "srv02.tech.local", CREATED, ENDED, "Stopped", "Failed", 100, false, "Working", "None",
                "Error: not enough space", "https://em01:9398/api/backupSessions/d46e39e0?format=Entity", DETECTED);
    }

    static SessionEvent firstSightRunning() {
        return new SessionEvent(EventType.CHANGED,
                EventIds.changed("em01", UID, null, null, "Working", null, null, null), SOURCE, UID, CREATED,
                "em01", UID, "BackupJobSession", null, null, null, null, null, CREATED, null, "Working", null,
                null, null, null, null, null, null, DETECTED);
    }
}

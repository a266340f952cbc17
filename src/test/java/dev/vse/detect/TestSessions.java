package dev.vse.detect;

import dev.vse.model.BackupJobSession;
import dev.vse.model.JobSession;
import dev.vse.model.Link;
import dev.vse.model.Links;
import java.time.Instant;
import java.util.List;

/** Builds EM sessions the way the JAXB model delivers them. */
final class TestSessions {
    static final String EM = "em01";
    static final String SOURCE = "https://em01:9398/api";
    static final Instant CREATED = Instant.parse("2025-08-15T19:40:00Z");
    static final Instant ENDED = Instant.parse("2025-08-15T20:00:24.003406Z");

    private TestSessions() { }

    static JobSession running(String guid) {
        return session(guid, "Working", "None", null, 40, false);
    }

    static JobSession stopped(String guid, String result) {
        return session(guid, "Stopped", result, ENDED, 100, false);
    }

    static JobSession session(String guid, String state, String result, Instant end, Integer progress,
                              Boolean isRetry) {
        BackupJobSession s = new BackupJobSession();
        s.setUid("urn:veeam:BackupJobSession:" + guid);
        s.setHref("https://em01:9398/api/backupSessions/" + guid + "?format=Entity");
        s.setType("BackupJobSession");
        s.setName("Fileserver Backup@2025-08-15 19:40:00");
        s.setJobUid("urn:veeam:Job:4856ab37-2235-45e8-affe-d515878b01a9");
        s.setJobName("Fileserver Backup");
        s.setJobType("Backup");
        s.setCreationTimeUtc(CREATED);
        s.setEndTimeUtc(end);
        s.setState(state);
        s.setResult(result);
        s.setProgress(progress);
        s.setIsRetry(isRetry);
        s.setLinks(new Links(List.of(new Link("Up", "BackupServerReference",
                "https://em01:9398/api/backupServers/ce15a8c7", "srv02.tech.local"))));
        return s;
    }
}

package dev.vse.detect;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the state files of one EM hold at one moment, read without taking their lock
 * ({@link FileStateStore#inspect}, {@link FileStateStore#inspectDirectory}): for operators' tools, while the
 * pipeline runs.
 *
 * @param emId                   the EM id (from the snapshot header; the folder name when there is no snapshot yet)
 * @param directory              the EM's folder
 * @param generation             the snapshot generation G (0 before the first compaction)
 * @param journalRecords         intact records in {@code journal-G.jsonl}
 * @param incompleteJournalBytes bytes after the last intact journal record: a record being appended right then,
 *                               or the torn tail of a crash that the next open of the pipeline cuts off
 * @param watermarks             query watermark per session type
 * @param baselines              baseline instant per session type
 * @param sessions               every tracked session
 * @param incidents              the job incidents open or pending a retry: job UID to the state last committed
 */
public record StoredState(String emId, Path directory, long generation, long journalRecords,
                          long incompleteJournalBytes, Map<String, Instant> watermarks,
                          Map<String, Instant> baselines, List<SessionSnapshot> sessions,
                          Map<String, String> incidents) {
    public StoredState {
        incidents = Map.copyOf(incidents);
        watermarks = Map.copyOf(watermarks);
        baselines = Map.copyOf(baselines);
        sessions = List.copyOf(sessions);
    }

    static StoredState of(String emId, EmStateFiles files) {
        SessionTable t = files.table();
        return new StoredState(emId, files.directory(), files.generation(), files.journalRecords(),
                files.ignoredJournalBytes(), t.watermarks(), t.baselines(), List.copyOf(t.all()), t.incidents());
    }
}

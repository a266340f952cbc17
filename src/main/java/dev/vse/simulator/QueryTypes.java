package dev.vse.simulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The query types the simulator serves and their filterable/sortable fields (as documented for v13). */
final class QueryTypes {
    /** A task session together with its job session (task rows need job fields). */
    record TaskRow(SimSession job, SimTaskSession task) { }

    static final Map<String, QueryField<SimSession>> JOB_FIELDS = index(List.of(
            QueryField.<SimSession>string("UID", SimSession::uid),
            QueryField.<SimSession>string("Name", SimSession::name),
            QueryField.<SimSession>string("JobType", SimSession::getJobType),
            QueryField.<SimSession>string("JobUid", SimSession::jobUid),
            QueryField.<SimSession>string("JobName", SimSession::getJobName),
            QueryField.<SimSession>date("CreationTime", SimSession::getCreationTime),
            QueryField.<SimSession>date("EndTime", SimSession::getEndTime),
            QueryField.<SimSession>enumeration("State", QueryField.STATE_ORDER, SimSession::getState),
            QueryField.<SimSession>enumeration("Result", QueryField.RESULT_ORDER, SimSession::getResult),
            QueryField.<SimSession>bool("IsRetry", SimSession::isRetry),
            QueryField.<SimSession>string("BackupServerUid", SimSession::backupServerUid),
            QueryField.<SimSession>string("BackupServerName", SimSession::getBackupServerName)));

    static final Map<String, QueryField<TaskRow>> TASK_FIELDS = index(List.of(
            QueryField.<TaskRow>string("UID", r -> r.task().uid()),
            QueryField.<TaskRow>string("Name", r -> Representations.taskName(r.task())),
            QueryField.<TaskRow>date("CreationTime", r -> r.task().getCreationTime()),
            QueryField.<TaskRow>date("EndTime", r -> r.task().getEndTime()),
            QueryField.<TaskRow>enumeration("State", QueryField.TASK_STATE_ORDER, r -> r.task().getState()),
            QueryField.<TaskRow>enumeration("Result", QueryField.RESULT_ORDER, r -> r.task().getResult()),
            QueryField.<TaskRow>string("Reason", r -> r.task().getReason()),
            QueryField.<TaskRow>number("TotalSize", r -> r.task().getTotalSize()),
            QueryField.<TaskRow>string("JobSessionUid", r -> r.job().uid()),
            QueryField.<TaskRow>string("JobUid", r -> r.job().jobUid()),
            QueryField.<TaskRow>string("JobName", r -> r.job().getJobName()),
            QueryField.<TaskRow>string("BackupServerUid", r -> r.job().backupServerUid()),
            QueryField.<TaskRow>string("BackupServerName", r -> r.job().getBackupServerName()),
            QueryField.<TaskRow>string("VmDisplayName", r -> r.task().getVmName())));

    private QueryTypes() { }

    private static <T> Map<String, QueryField<T>> index(List<QueryField<T>> fields) {
        Map<String, QueryField<T>> m = new LinkedHashMap<>();
        for (QueryField<T> f : fields) {
            m.put(f.name().toLowerCase(Locale.ROOT), f);
        }
        return Map.copyOf(m);
    }
}

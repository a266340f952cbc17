package dev.vse.simulator;

import dev.vse.model.BackupJobSession;
import dev.vse.model.BackupJobSessions;
import dev.vse.model.BackupTaskSessions;
import dev.vse.model.EntityReferences;
import dev.vse.model.ReplicaJobSession;
import dev.vse.model.ReplicaJobSessions;
import dev.vse.model.ReplicaTaskSessions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The session resources: {@code /backupSessions[/{ID}[/taskSessions]]}, {@code /replicaSessions[/{ID}[/replicaTaskSessions]]},
 * {@code /backupTaskSessions[/{ID}]}, {@code /replicaTaskSessions[/{ID}]}, each as references or, with
 * {@code format=Entity}, entities. Collections are in insertion order (EM's are unordered) and, as documented, hold
 * only sessions created in the last 30 days.
 */
final class Resources {
    private Resources() { }

    static Object sessions(String[] low, String[] seg, boolean entity, Snapshot snap, Representations rep, Instant since) {
        String type = low[0].equals("replicasessions") ? SimSession.REPLICA : SimSession.BACKUP;
        if (low.length == 1) {
            List<SimSession> list = snap.sessions.stream()
                    .filter(s -> s.getSessionType().equals(type) && !s.getCreationTime().isBefore(since)).toList();
            return entity ? sessionEntities(type, list, rep) : new EntityReferences(list.stream().map(s -> rep.sessionRef(s, false)).toList());
        }
        SimSession s = snap.session(seg[1]);
        if (s == null || !s.getSessionType().equals(type)) {
            throw new EmError(404, type + " with id " + seg[1] + " was not found.");
        }
        if (low.length == 2) {
            return entity ? rep.sessionEntity(s) : rep.sessionRef(s, true);
        }
        if (low.length == 3 && type.equals(SimSession.BACKUP) && low[2].equals("tasksessions")) {
            return entity ? new BackupTaskSessions(s.getTasks().stream().map(t -> rep.taskEntity(s, t)).toList())
                    : new EntityReferences(s.getTasks().stream().map(t -> rep.taskRef(s, t, false)).toList());
        }
        if (low.length == 3 && type.equals(SimSession.REPLICA) && low[2].equals("replicatasksessions")) {
            return entity ? new ReplicaTaskSessions(s.getTasks().stream().map(t -> rep.replicaTaskEntity(s, t)).toList())
                    : new EntityReferences(s.getTasks().stream().map(t -> rep.taskRef(s, t, false)).toList());
        }
        throw new EmError(404, "Resource not found: /api/" + String.join("/", seg));
    }

    /** {@code /backupTaskSessions[/{ID}]} or, for {@code low[0] = replicatasksessions}, {@code /replicaTaskSessions[/{ID}]}. */
    static Object tasks(String[] low, String[] seg, boolean entity, Snapshot snap, Representations rep, Instant since) {
        boolean replica = low[0].equals("replicatasksessions");
        if (low.length == 1) {
            List<QueryTypes.TaskRow> rows = (replica ? snap.replicaTasks : snap.tasks).stream()
                    .filter(r -> !r.task().getCreationTime().isBefore(since)).toList();
            if (!entity) {
                return new EntityReferences(rows.stream().map(r -> rep.taskRef(r.job(), r.task(), false)).toList());
            }
            return replica ? new ReplicaTaskSessions(rows.stream().map(r -> rep.replicaTaskEntity(r.job(), r.task())).toList())
                    : new BackupTaskSessions(rows.stream().map(r -> rep.taskEntity(r.job(), r.task())).toList());
        }
        QueryTypes.TaskRow row = low.length != 2 ? null : replica ? snap.replicaTask(seg[1]) : snap.task(seg[1]);
        if (row == null) {
            throw new EmError(404, (replica ? "ReplicaTaskSession" : "BackupTaskSession") + " with id " + seg[1] + " was not found.");
        }
        if (!entity) {
            return rep.taskRef(row.job(), row.task(), true);
        }
        return replica ? rep.replicaTaskEntity(row.job(), row.task()) : rep.taskEntity(row.job(), row.task());
    }

    private static Object sessionEntities(String type, List<SimSession> list, Representations rep) {
        if (type.equals(SimSession.REPLICA)) {
            List<ReplicaJobSession> l = new ArrayList<>();
            list.forEach(s -> l.add((ReplicaJobSession) rep.sessionEntity(s)));
            return new ReplicaJobSessions(l);
        }
        List<BackupJobSession> l = new ArrayList<>();
        list.forEach(s -> l.add((BackupJobSession) rep.sessionEntity(s)));
        return new BackupJobSessions(l);
    }
}

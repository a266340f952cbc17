package dev.vse.simulator;

import dev.vse.model.EntityReferences;
import java.time.Instant;
import java.util.List;

/**
 * The job resources: {@code /jobs[/{ID}[/backupSessions]]} for every job but agent jobs,
 * {@code /agents/jobs[/{ID}[/backupSessions]]} for agent jobs and {@code /nas/jobs[/{ID}[/backupSessions]]} for file
 * share jobs (which are under {@code /jobs} too, where their sessions' {@code JobReference} points). A job is a
 * reference or, with {@code format=Entity}, an entity carrying its retry policy; lists are references only.
 * Returns null for a path below a job that is not simulated (the caller answers 404).
 */
final class JobResources {
    private JobResources() { }

    /** {@code low}/{@code seg} from the collection segment on ({@code jobs/...}, without {@code agents/} or {@code nas/}). */
    static Object jobs(Representations.JobRoot root, String[] low, String[] seg, boolean entity, Snapshot snap,
            Representations rep, Instant since) {
        if (low.length == 1) {
            return new EntityReferences(snap.jobs().stream().filter(j -> serves(root, j)).map(j -> rep.jobRef(j, root, false)).toList());
        }
        SimJob job = snap.job(seg[1]);
        if (job == null || !serves(root, job)) {
            throw new EmError(404, "Job with id " + seg[1] + " was not found.");
        }
        if (low.length == 2) {
            return entity ? rep.jobEntity(job, root) : rep.jobRef(job, root, true);
        }
        if (low.length == 3 && low[2].equals("backupsessions")) {
            List<SimSession> sessions = snap.sessions.stream()
                    .filter(s -> s.getJobId().equalsIgnoreCase(job.getId()) && !s.getCreationTime().isBefore(since)).toList();
            return new EntityReferences(sessions.stream().map(s -> rep.sessionRef(s, false)).toList());
        }
        return null;
    }

    private static boolean serves(Representations.JobRoot root, SimJob j) {
        return switch (root) {
            case AGENT -> j.isAgent();
            case NAS -> j.isNas();
            case JOB -> !j.isAgent();
        };
    }
}

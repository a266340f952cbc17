package dev.vse.simulator;

import dev.vse.model.AgentBackupJob;
import dev.vse.model.BackupJobSession;
import dev.vse.model.BackupTaskSession;
import dev.vse.model.EnterpriseManager;
import dev.vse.model.EntityRef;
import dev.vse.model.Job;
import dev.vse.model.JobEntity;
import dev.vse.model.JobScheduleOptions;
import dev.vse.model.JobSession;
import dev.vse.model.Link;
import dev.vse.model.Links;
import dev.vse.model.LogonSession;
import dev.vse.model.NasJob;
import dev.vse.model.Ref;
import dev.vse.model.ReplicaJobSession;
import dev.vse.model.ReplicaTaskSession;
import dev.vse.model.RetryOptions;
import dev.vse.model.SupportedVersion;
import dev.vse.model.TaskSession;
import java.util.ArrayList;
import java.util.List;

/** Builds the JAXB model objects EM would return, with {@code Href}s under the request's base URL ({@code .../api}). */
final class Representations {
    static final List<String> VERSIONS = List.of("v1_5", "v1_6", "v1_7");

    private final String base;

    Representations(String base) {
        this.base = base;
    }

    static String taskName(SimTaskSession t) {
        return t.getVmName() + "@" + Names.timestamp(t.getCreationTime());
    }

    EnterpriseManager enterpriseManager() {
        Links links = new Links(List.of(
                new Link("Down", "LogonSessionList", base + "/logonSessions", null),
                new Link("Create", "LogonSession", base + "/sessionMngr/?v=latest", null)));
        List<SupportedVersion> versions = new ArrayList<>();
        for (String v : VERSIONS) {
            versions.add(new SupportedVersion(v, new Links(List.of(
                    new Link("Create", "LogonSession", base + "/sessionMngr/?v=" + v, null)))));
        }
        return new EnterpriseManager(links, versions);
    }

    LogonSession logonSession(String sessionId, String user) {
        String self = base + "/logonSessions/" + sessionId;
        List<Link> l = new ArrayList<>();
        l.add(new Link("Up", "EnterpriseManager", base + "/", null));
        String[][] down = {
            {"BackupServerReferenceList", "/backupServers"}, {"JobReferenceList", "/jobs"},
            {"BackupJobSessionReferenceList", "/backupSessions"}, {"RestoreSessionReferenceList", "/restoreSessions"},
            {"ReplicaJobSessionReferenceList", "/replicaSessions"}, {"BackupTaskSessionReferenceList", "/backupTaskSessions"},
            {"ReplicaTaskSessionReferenceList", "/replicaTaskSessions"}, {"TaskList", "/tasks"},
            {"QueryService", "/querySvc"}, {"LookupService", "/lookupSvc"},
            {"BackupJobSessionList", "/backupSessions?format=Entity"}, {"ReplicaJobSessionList", "/replicaSessions?format=Entity"},
            {"BackupTaskSessionList", "/backupTaskSessions?format=Entity"}};
        for (String[] d : down) {
            l.add(new Link("Down", d[0], base + d[1], null));
        }
        l.add(new Link("Delete", null, self, null));
        return new LogonSession(self, new Links(l), user, sessionId);
    }

    // ---- job sessions

    private String collection(SimSession s) {
        return s.isReplica() ? "/replicaSessions/" : "/backupSessions/";
    }

    String sessionHref(SimSession s) {
        return base + collection(s) + s.getId();
    }

    private List<Link> upLinks(SimSession s) {
        List<Link> l = new ArrayList<>();
        l.add(new Link("Up", "BackupServerReference", base + "/backupServers/" + s.getBackupServerId(), s.getBackupServerName()));
        SimJob job = SimJob.of(s);
        l.add(new Link("Up", "JobReference", jobHref(job, jobRoot(job)), s.getJobName()));
        return l;
    }

    private Link downTasks(SimSession s) {
        return s.isReplica()
                ? new Link("Down", "ReplicaTaskSessionReferenceList", sessionHref(s) + "/replicaTaskSessions", null)
                : new Link("Down", "BackupTaskSessionReferenceList", sessionHref(s) + "/taskSessions", null);
    }

    /** Reference form (list {@code <Ref>} or single {@code <EntityRef>}). */
    Ref sessionRef(SimSession s, boolean single) {
        List<Link> l = upLinks(s);
        l.add(new Link("Alternate", s.getSessionType(), sessionHref(s) + "?format=Entity", s.name()));
        l.add(downTasks(s));
        String type = s.getSessionType() + "Reference";
        return single ? new EntityRef(type, sessionHref(s), s.name(), s.uid(), new Links(l))
                : new Ref(type, sessionHref(s), s.name(), s.uid(), new Links(l));
    }

    /** Entity form ({@code <BackupJobSession>} / {@code <ReplicaJobSession>}), shaped like the samples. */
    JobSession sessionEntity(SimSession s) {
        JobSession e = s.isReplica() ? new ReplicaJobSession() : new BackupJobSession();
        e.setHref(sessionHref(s) + "?format=Entity");
        e.setType(s.getSessionType());
        e.setName(s.name());
        e.setUid(s.uid());
        List<Link> l = upLinks(s);
        l.add(new Link("Alternate", s.getSessionType() + "Reference", sessionHref(s), s.name()));
        l.add(downTasks(s));
        if (!s.isReplica()) {
            l.add(new Link("Stop", null, sessionHref(s) + "?action=stop", null));
        }
        e.setLinks(new Links(l));
        e.setJobUid(s.jobUid());
        e.setJobName(s.getJobName());
        e.setJobType(s.getJobType());
        e.setCreationTimeUtc(s.getCreationTime());
        e.setEndTimeUtc(s.getEndTime());
        e.setState(s.getState());
        e.setResult(s.getResult());
        e.setProgress(s.getProgress());
        e.setIsRetry(s.isRetry());
        return e;
    }

    // ---- jobs

    /** The three job entity roots, with the path, reference type and UID prefix EM documents for each. */
    enum JobRoot {
        JOB("/jobs/", "Job", "JobReference", "urn:veeam:Job:"),
        AGENT("/agents/jobs/", "AgentBackupJob", "AgentBackupJobReference", "urn:veeam:AgentBackupJob:"),
        NAS("/nas/jobs/", "NasJob", "NasJobReference", "urn:veeam:NasJob:");

        final String path;
        final String type;
        final String refType;
        final String uidPrefix;

        JobRoot(String path, String type, String refType, String uidPrefix) {
            this.path = path;
            this.type = type;
            this.refType = refType;
            this.uidPrefix = uidPrefix;
        }
    }

    /**
     * Where a session's {@code JobReference} points: agent jobs under {@code /agents/jobs}, every other job under
     * {@code /jobs}, file share jobs included (as in the documented {@code /nas/jobs/{ID}/backupSessions} example).
     */
    static JobRoot jobRoot(SimJob j) {
        return j.isAgent() ? JobRoot.AGENT : JobRoot.JOB;
    }

    String jobHref(SimJob j, JobRoot root) {
        return base + root.path + j.getId();
    }

    Ref jobRef(SimJob j, JobRoot root, boolean single) {
        List<Link> l = new ArrayList<>();
        l.add(new Link("Up", "BackupServerReference", base + "/backupServers/" + j.getBackupServerId(), j.getBackupServerName()));
        l.add(new Link("Alternate", root.type, jobHref(j, root) + "?format=Entity", j.getName()));
        String href = jobHref(j, root);
        return single ? new EntityRef(root.refType, href, j.getName(), root.uidPrefix + j.getId(), new Links(l))
                : new Ref(root.refType, href, j.getName(), root.uidPrefix + j.getId(), new Links(l));
    }

    /** Entity form, shaped like the documented examples; {@code NASJob} has no {@code JobType}, as documented. */
    JobEntity jobEntity(SimJob j, JobRoot root) {
        JobEntity e = switch (root) {
            case AGENT -> new AgentBackupJob();
            case NAS -> new NasJob();
            case JOB -> new Job();
        };
        String href = jobHref(j, root);
        e.setHref(href + "?format=Entity");
        e.setType(root.type);
        e.setName(j.getName());
        e.setUid(root.uidPrefix + j.getId());
        e.setLinks(new Links(List.of(
                new Link("Up", "BackupServerReference", base + "/backupServers/" + j.getBackupServerId(), j.getBackupServerName()),
                new Link("Alternate", "JobReference", href, j.getName()),
                new Link("Down", "BackupJobSessionReferenceList", href + "/backupSessions", null))));
        if (root != JobRoot.NAS) {
            e.setJobType(j.getType());
        }
        e.setScheduleConfigured(true);
        e.setScheduleEnabled(true);
        e.setJobScheduleOptions(JobScheduleOptions.standard(
                new RetryOptions(j.getRetryTimes(), j.retryTimeoutMinutes(), j.isRetrySpecified())));
        return e;
    }

    // ---- task sessions (backup tasks under /backupTaskSessions, replica tasks under /replicaTaskSessions)

    String taskHref(SimSession job, SimTaskSession t) {
        return base + (job.isReplica() ? "/replicaTaskSessions/" : "/backupTaskSessions/") + t.getId();
    }

    static String taskType(SimSession job) {
        return job.isReplica() ? "ReplicaTaskSession" : "BackupTaskSession";
    }

    static String taskUid(SimSession job, SimTaskSession t) {
        return "urn:veeam:" + taskType(job) + ":" + t.getId();
    }

    private List<Link> taskUpLinks(SimSession job) {
        List<Link> l = new ArrayList<>();
        l.add(new Link("Up", "BackupServerReference", base + "/backupServers/" + job.getBackupServerId(), job.getBackupServerName()));
        l.add(new Link("Up", job.getSessionType() + "Reference", sessionHref(job), job.name()));
        return l;
    }

    /** Reference form of a backup or replica task session (by the job session's type). */
    Ref taskRef(SimSession job, SimTaskSession t, boolean single) {
        List<Link> l = taskUpLinks(job);
        String href = taskHref(job, t);
        l.add(new Link("Alternate", taskType(job), href + "?format=Entity", taskName(t)));
        String type = taskType(job) + "Reference";
        return single ? new EntityRef(type, href, taskName(t), taskUid(job, t), new Links(l))
                : new Ref(type, href, taskName(t), taskUid(job, t), new Links(l));
    }

    BackupTaskSession taskEntity(SimSession job, SimTaskSession t) {
        BackupTaskSession e = fill(new BackupTaskSession(), job, t);
        e.setVmUid(t.getVmUid());
        return e;
    }

    /** Like the documented v13 example, {@code VmDisplayName} included; no {@code VmUid}. */
    ReplicaTaskSession replicaTaskEntity(SimSession job, SimTaskSession t) {
        return fill(new ReplicaTaskSession(), job, t);
    }

    private <T extends TaskSession> T fill(T e, SimSession job, SimTaskSession t) {
        String href = taskHref(job, t);
        e.setHref(href + "?format=Entity");
        e.setType(taskType(job));
        e.setName(taskName(t));
        e.setUid(taskUid(job, t));
        e.setVmDisplayName(t.getVmName());
        List<Link> l = taskUpLinks(job);
        l.add(new Link("Alternate", taskType(job) + "Reference", href, taskName(t)));
        e.setLinks(new Links(l));
        e.setJobSessionUid(job.uid());
        e.setCreationTimeUtc(t.getCreationTime());
        e.setEndTimeUtc(t.getEndTime());
        e.setState(t.getState());
        e.setResult(t.getResult());
        e.setReason(t.getReason() == null ? "" : t.getReason());
        e.setTotalSize(t.getTotalSize());
        return e;
    }
}

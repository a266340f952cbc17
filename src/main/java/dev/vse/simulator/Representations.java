package dev.vse.simulator;

import dev.vse.model.BackupJobSession;
import dev.vse.model.BackupTaskSession;
import dev.vse.model.EnterpriseManager;
import dev.vse.model.EntityRef;
import dev.vse.model.JobSession;
import dev.vse.model.Link;
import dev.vse.model.Links;
import dev.vse.model.LogonSession;
import dev.vse.model.Ref;
import dev.vse.model.ReplicaJobSession;
import dev.vse.model.SupportedVersion;
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
        l.add(new Link("Up", "JobReference", base + jobPath(s) + s.getJobId(), s.getJobName()));
        return l;
    }

    private static String jobPath(SimSession s) {
        return "AgentBackup".equals(s.getJobType()) || "AgentManagement".equals(s.getJobType()) ? "/agents/jobs/" : "/jobs/";
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

    // ---- task sessions

    String taskHref(SimTaskSession t) {
        return base + "/backupTaskSessions/" + t.getId();
    }

    private List<Link> taskUpLinks(SimSession job) {
        List<Link> l = new ArrayList<>();
        l.add(new Link("Up", "BackupServerReference", base + "/backupServers/" + job.getBackupServerId(), job.getBackupServerName()));
        l.add(new Link("Up", job.getSessionType() + "Reference", sessionHref(job), job.name()));
        return l;
    }

    Ref taskRef(SimSession job, SimTaskSession t, boolean single) {
        List<Link> l = taskUpLinks(job);
        l.add(new Link("Alternate", "BackupTaskSession", taskHref(t) + "?format=Entity", taskName(t)));
        String type = "BackupTaskSessionReference";
        return single ? new EntityRef(type, taskHref(t), taskName(t), t.uid(), new Links(l))
                : new Ref(type, taskHref(t), taskName(t), t.uid(), new Links(l));
    }

    BackupTaskSession taskEntity(SimSession job, SimTaskSession t) {
        BackupTaskSession e = new BackupTaskSession();
        e.setHref(taskHref(t) + "?format=Entity");
        e.setType("BackupTaskSession");
        e.setName(taskName(t));
        e.setUid(t.uid());
        e.setVmDisplayName(t.getVmName());
        List<Link> l = taskUpLinks(job);
        l.add(new Link("Alternate", "BackupTaskSessionReference", taskHref(t), taskName(t)));
        e.setLinks(new Links(l));
        e.setJobSessionUid(job.uid());
        e.setCreationTimeUtc(t.getCreationTime());
        e.setEndTimeUtc(t.getEndTime());
        e.setState(t.getState());
        e.setResult(t.getResult());
        e.setReason(t.getReason() == null ? "" : t.getReason());
        e.setTotalSize(t.getTotalSize());
        e.setVmUid(t.getVmUid());
        return e;
    }
}

package dev.vse.model;

import jakarta.xml.bind.annotation.XmlElement;
import java.util.ArrayList;
import java.util.List;

/** {@code <Entities>} of a query result with {@code format=Entities}: one list wrapper per type. */
public class Entities {
    @XmlElement(name = "BackupJobSessions") private BackupJobSessions backupJobSessions;
    @XmlElement(name = "ReplicaJobSessions") private ReplicaJobSessions replicaJobSessions;
    @XmlElement(name = "BackupTaskSessions") private BackupTaskSessions backupTaskSessions;
    @XmlElement(name = "ReplicaTaskSessions") private ReplicaTaskSessions replicaTaskSessions;

    public BackupJobSessions getBackupJobSessions() { return backupJobSessions; }
    public void setBackupJobSessions(BackupJobSessions v) { this.backupJobSessions = v; }
    public ReplicaJobSessions getReplicaJobSessions() { return replicaJobSessions; }
    public void setReplicaJobSessions(ReplicaJobSessions v) { this.replicaJobSessions = v; }
    public BackupTaskSessions getBackupTaskSessions() { return backupTaskSessions; }
    public void setBackupTaskSessions(BackupTaskSessions v) { this.backupTaskSessions = v; }
    public ReplicaTaskSessions getReplicaTaskSessions() { return replicaTaskSessions; }
    public void setReplicaTaskSessions(ReplicaTaskSessions v) { this.replicaTaskSessions = v; }

    /** All task sessions (backup and replica) in document order of their wrappers. */
    public List<TaskSession> taskSessions() {
        List<TaskSession> all = new ArrayList<>();
        if (backupTaskSessions != null) {
            all.addAll(backupTaskSessions.getSessions());
        }
        if (replicaTaskSessions != null) {
            all.addAll(replicaTaskSessions.getSessions());
        }
        return all;
    }

    /** All job sessions (backup and replica) in document order of their wrappers. */
    public List<JobSession> jobSessions() {
        List<JobSession> all = new ArrayList<>();
        if (backupJobSessions != null) {
            all.addAll(backupJobSessions.getSessions());
        }
        if (replicaJobSessions != null) {
            all.addAll(replicaJobSessions.getSessions());
        }
        return all;
    }
}

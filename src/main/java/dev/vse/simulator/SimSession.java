package dev.vse.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One job session as the backup server knows it. Mutable: change it through
 * {@link SessionEstate#update(String, java.util.function.Consumer)} so that readers see consistent snapshots.
 * {@code state} and {@code result} are open strings (unknown VBR values such as {@code WaitingRepository} pass through).
 */
public final class SimSession {
    public static final String BACKUP = "BackupJobSession";
    public static final String REPLICA = "ReplicaJobSession";

    private String sessionType = BACKUP;
    private String id;
    private String jobId;
    private String jobName;
    private String jobType = "Backup";
    private String backupServerId = "ce15a8c7-aa49-495e-b05b-ee3398c91018";
    private String backupServerName = "vbr01.sim.local";
    private Instant creationTime;
    private Instant endTime;
    private String state = "Starting";
    private String result = "None";
    private int progress;
    private boolean retry;
    private List<SimTaskSession> tasks = new ArrayList<>();

    public SimSession() { }

    public SimSession(String sessionType, String id, String jobId, String jobName, String jobType, Instant creationTime) {
        this.sessionType = sessionType;
        this.id = id;
        this.jobId = jobId;
        this.jobName = jobName;
        this.jobType = jobType;
        this.creationTime = micros(creationTime);
    }

    /** EM timestamps carry at most microseconds. */
    static Instant micros(Instant t) {
        return t == null ? null : t.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    /** Deep copy (task sessions included). */
    public SimSession copy() {
        SimSession c = new SimSession(sessionType, id, jobId, jobName, jobType, creationTime);
        c.backupServerId = backupServerId;
        c.backupServerName = backupServerName;
        c.endTime = endTime;
        c.state = state;
        c.result = result;
        c.progress = progress;
        c.retry = retry;
        List<SimTaskSession> t = new ArrayList<>(tasks.size());
        for (SimTaskSession task : tasks) {
            t.add(task.copy());
        }
        c.tasks = t;
        return c;
    }

    public String uid() { return "urn:veeam:" + sessionType + ":" + id; }
    public String jobUid() { return "urn:veeam:Job:" + jobId; }
    public String backupServerUid() { return "urn:veeam:BackupServer:" + backupServerId; }
    public boolean isReplica() { return REPLICA.equals(sessionType); }
    /** EM's session name: {@code <JobName>@<yyyy-MM-dd HH:mm:ss[.ffffff]>}. */
    public String name() { return jobName + "@" + Names.timestamp(creationTime); }
    static String key(String id) { return id.toLowerCase(Locale.ROOT); }

    public String getSessionType() { return sessionType; }
    public SimSession setSessionType(String v) { this.sessionType = v; return this; }
    public String getId() { return id; }
    public SimSession setId(String v) { this.id = v; return this; }
    public String getJobId() { return jobId; }
    public SimSession setJobId(String v) { this.jobId = v; return this; }
    public String getJobName() { return jobName; }
    public SimSession setJobName(String v) { this.jobName = v; return this; }
    public String getJobType() { return jobType; }
    public SimSession setJobType(String v) { this.jobType = v; return this; }
    public String getBackupServerId() { return backupServerId; }
    public SimSession setBackupServerId(String v) { this.backupServerId = v; return this; }
    public String getBackupServerName() { return backupServerName; }
    public SimSession setBackupServerName(String v) { this.backupServerName = v; return this; }
    public Instant getCreationTime() { return creationTime; }
    public SimSession setCreationTime(Instant v) { this.creationTime = micros(v); return this; }
    public Instant getEndTime() { return endTime; }
    public SimSession setEndTime(Instant v) { this.endTime = micros(v); return this; }
    public String getState() { return state; }
    public SimSession setState(String v) { this.state = v; return this; }
    public String getResult() { return result; }
    public SimSession setResult(String v) { this.result = v; return this; }
    public int getProgress() { return progress; }
    public SimSession setProgress(int v) { this.progress = v; return this; }
    public boolean isRetry() { return retry; }
    public SimSession setRetry(boolean v) { this.retry = v; return this; }
    public List<SimTaskSession> getTasks() { return tasks; }
    public SimSession setTasks(List<SimTaskSession> v) { this.tasks = new ArrayList<>(v); return this; }
    public SimSession addTask(SimTaskSession t) { this.tasks.add(t); return this; }
}

package dev.vse.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * A job as the backup server knows it: name, type, server and its automatic retry policy, served as the job entity
 * ({@code /jobs/{ID}}, {@code /agents/jobs/{ID}}, {@code /nas/jobs/{ID}}). Register jobs through
 * {@link SessionEstate#putJob}; a session whose job was never registered gets a job derived from the session with
 * VBR's default policy (retries on, 3 times, 10 minutes). The simulator waits exactly {@link #getRetryTimeout()}
 * between a failure and its retry, while EM's {@code RetryTimeout} counts minutes: it is served rounded up.
 */
public final class SimJob {
    /** VBR's defaults for a new job. */
    public static final int DEFAULT_RETRY_TIMES = 3;
    public static final Duration DEFAULT_RETRY_TIMEOUT = Duration.ofMinutes(10);

    private final String id;
    private String name;
    private String type;
    private String backupServerId = "ce15a8c7-aa49-495e-b05b-ee3398c91018";
    private String backupServerName = "vbr01.sim.local";
    private boolean retrySpecified = true;
    private int retryTimes = DEFAULT_RETRY_TIMES;
    private Duration retryTimeout = DEFAULT_RETRY_TIMEOUT;

    public SimJob(String id, String name, String type) {
        this.id = Objects.requireNonNull(id, "job id");
        this.name = name;
        this.type = type;
    }

    /** The job a session names, with VBR's default retry policy. */
    static SimJob of(SimSession s) {
        return new SimJob(s.getJobId(), s.getJobName(), s.getJobType())
                .setBackupServerId(s.getBackupServerId()).setBackupServerName(s.getBackupServerName());
    }

    public SimJob copy() {
        return new SimJob(id, name, type).setBackupServerId(backupServerId).setBackupServerName(backupServerName)
                .setRetry(retrySpecified, retryTimes, retryTimeout);
    }

    /** Agent jobs live under {@code /agents/jobs}. */
    boolean isAgent() { return "AgentBackup".equals(type) || "AgentManagement".equals(type); }
    /** File share jobs are also served under {@code /nas/jobs}. */
    boolean isNas() { return "NasBackup".equals(type); }
    /** {@code RetryTimeout} as EM shows it: whole minutes, rounded up. */
    int retryTimeoutMinutes() { return (int) ((retryTimeout.toMillis() + 59_999) / 60_000); }

    /** Sets the whole retry policy; {@code specified=false} keeps the numbers, as VBR does when retries are off. */
    public SimJob setRetry(boolean specified, int times, Duration timeout) {
        if (times < 0 || timeout.isNegative()) {
            throw new IllegalArgumentException("retry times and timeout must not be negative");
        }
        this.retrySpecified = specified;
        this.retryTimes = times;
        this.retryTimeout = timeout;
        return this;
    }

    public String getId() { return id; }
    public String getName() { return name; }
    public SimJob setName(String v) { this.name = v; return this; }
    public String getType() { return type; }
    public SimJob setType(String v) { this.type = v; return this; }
    public String getBackupServerId() { return backupServerId; }
    public SimJob setBackupServerId(String v) { this.backupServerId = v; return this; }
    public String getBackupServerName() { return backupServerName; }
    public SimJob setBackupServerName(String v) { this.backupServerName = v; return this; }
    public boolean isRetrySpecified() { return retrySpecified; }
    public int getRetryTimes() { return retryTimes; }
    public Duration getRetryTimeout() { return retryTimeout; }
}

package dev.vse.simulator;

import java.time.Instant;

/** A per-VM task of a job session ({@code BackupTaskSession}). Mutable; guarded by {@link SessionEstate}. */
public final class SimTaskSession {
    private String id;
    private String vmName;
    private String vmUid;
    private Instant creationTime;
    private Instant endTime;
    private String state = "Pending";
    private String result = "None";
    private String reason = "";
    private long totalSize;

    public SimTaskSession() { }

    public SimTaskSession(String id, String vmName, Instant creationTime) {
        this.id = id;
        this.vmName = vmName;
        this.creationTime = SimSession.micros(creationTime);
    }

    public SimTaskSession copy() {
        SimTaskSession c = new SimTaskSession(id, vmName, creationTime);
        c.vmUid = vmUid;
        c.endTime = endTime;
        c.state = state;
        c.result = result;
        c.reason = reason;
        c.totalSize = totalSize;
        return c;
    }

    public String uid() { return "urn:veeam:BackupTaskSession:" + id; }

    public String getId() { return id; }
    public SimTaskSession setId(String id) { this.id = id; return this; }
    public String getVmName() { return vmName; }
    public SimTaskSession setVmName(String vmName) { this.vmName = vmName; return this; }
    public String getVmUid() { return vmUid; }
    public SimTaskSession setVmUid(String vmUid) { this.vmUid = vmUid; return this; }
    public Instant getCreationTime() { return creationTime; }
    public SimTaskSession setCreationTime(Instant t) { this.creationTime = SimSession.micros(t); return this; }
    public Instant getEndTime() { return endTime; }
    public SimTaskSession setEndTime(Instant t) { this.endTime = SimSession.micros(t); return this; }
    public String getState() { return state; }
    public SimTaskSession setState(String state) { this.state = state; return this; }
    public String getResult() { return result; }
    public SimTaskSession setResult(String result) { this.result = result; return this; }
    public String getReason() { return reason; }
    public SimTaskSession setReason(String reason) { this.reason = reason; return this; }
    public long getTotalSize() { return totalSize; }
    public SimTaskSession setTotalSize(long totalSize) { this.totalSize = totalSize; return this; }
}

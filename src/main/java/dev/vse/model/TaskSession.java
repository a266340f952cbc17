package dev.vse.model;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlTransient;
import jakarta.xml.bind.annotation.adapters.XmlJavaTypeAdapter;
import java.time.Instant;

/**
 * What {@code BackupTaskSession} and {@code ReplicaTaskSession} share: one VM (or machine) of a job session.
 * {@code State} ({@code Pending}, {@code InProgress}, {@code Completed}) and {@code Result} are open strings;
 * {@code Reason} holds the human-readable failure or warning text ({@code <Reason />}, empty, when there is none).
 * {@code Name} is {@code <vm>@<timestamp>}; {@code VmDisplayName} may be absent (older replica task examples).
 */
@XmlTransient
public abstract class TaskSession extends Entity {
    @XmlAttribute(name = "VmDisplayName") private String vmDisplayName;
    @XmlElement(name = "JobSessionUid") private String jobSessionUid;
    @XmlElement(name = "CreationTimeUTC") @XmlJavaTypeAdapter(UtcInstantAdapter.class) private Instant creationTimeUtc;
    @XmlElement(name = "EndTimeUTC") @XmlJavaTypeAdapter(UtcInstantAdapter.class) private Instant endTimeUtc;
    @XmlElement(name = "State") private String state;
    @XmlElement(name = "Result") private String result;
    @XmlElement(name = "Reason") private String reason;
    @XmlElement(name = "TotalSize") private Long totalSize;

    public String getVmDisplayName() { return vmDisplayName; }
    public void setVmDisplayName(String vmDisplayName) { this.vmDisplayName = vmDisplayName; }
    public String getJobSessionUid() { return jobSessionUid; }
    public void setJobSessionUid(String jobSessionUid) { this.jobSessionUid = jobSessionUid; }
    public Instant getCreationTimeUtc() { return creationTimeUtc; }
    public void setCreationTimeUtc(Instant creationTimeUtc) { this.creationTimeUtc = creationTimeUtc; }
    public Instant getEndTimeUtc() { return endTimeUtc; }
    public void setEndTimeUtc(Instant endTimeUtc) { this.endTimeUtc = endTimeUtc; }
    public String getState() { return state; }
    public void setState(String state) { this.state = state; }
    public String getResult() { return result; }
    public void setResult(String result) { this.result = result; }
    public String getReason() { return reason; }
    public void setReason(String reason) { this.reason = reason; }
    public Long getTotalSize() { return totalSize; }
    public void setTotalSize(Long totalSize) { this.totalSize = totalSize; }
}

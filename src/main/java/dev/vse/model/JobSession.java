package dev.vse.model;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlTransient;
import jakarta.xml.bind.annotation.adapters.XmlJavaTypeAdapter;
import java.time.Instant;

/**
 * What {@code BackupJobSession} and {@code ReplicaJobSession} share (XSD {@code JobSessionEntityType}).
 * {@code State} and {@code Result} are open strings on purpose: EM passes through VBR values that its
 * documentation does not list ({@code Idle}, {@code Postprocessing}, {@code None}, ...).
 */
@XmlTransient
public abstract class JobSession extends Entity {
    @XmlElement(name = "JobUid") private String jobUid;
    @XmlElement(name = "JobName") private String jobName;
    @XmlElement(name = "JobType") private String jobType;
    @XmlElement(name = "CreationTimeUTC") @XmlJavaTypeAdapter(UtcInstantAdapter.class) private Instant creationTimeUtc;
    @XmlElement(name = "EndTimeUTC") @XmlJavaTypeAdapter(UtcInstantAdapter.class) private Instant endTimeUtc;
    @XmlElement(name = "State") private String state;
    @XmlElement(name = "Result") private String result;
    @XmlElement(name = "Progress") private Integer progress;
    @XmlElement(name = "FailureMessage") private String failureMessage;
    @XmlElement(name = "IsRetry") private Boolean isRetry;

    /** The session type name as used by the query service ({@code BackupJobSession}, ...). */
    public abstract String sessionType();

    /** Name of the backup server, from the {@code Rel="Up" Type="BackupServerReference"} link. */
    public String backupServerName() {
        Links links = getLinks();
        return links == null ? null : links.find("Up", "BackupServerReference").map(Link::getName).orElse(null);
    }

    /** The {@code Href} of the {@code Rel="Up" Type="JobReference"} link (the job, for its retry policy); null if absent. */
    public String jobHref() {
        Links links = getLinks();
        return links == null ? null : links.find("Up", "JobReference").map(Link::getHref).orElse(null);
    }

    public String getJobUid() { return jobUid; }
    public void setJobUid(String jobUid) { this.jobUid = jobUid; }
    public String getJobName() { return jobName; }
    public void setJobName(String jobName) { this.jobName = jobName; }
    public String getJobType() { return jobType; }
    public void setJobType(String jobType) { this.jobType = jobType; }
    public Instant getCreationTimeUtc() { return creationTimeUtc; }
    public void setCreationTimeUtc(Instant creationTimeUtc) { this.creationTimeUtc = creationTimeUtc; }
    public Instant getEndTimeUtc() { return endTimeUtc; }
    public void setEndTimeUtc(Instant endTimeUtc) { this.endTimeUtc = endTimeUtc; }
    public String getState() { return state; }
    public void setState(String state) { this.state = state; }
    public String getResult() { return result; }
    public void setResult(String result) { this.result = result; }
    public Integer getProgress() { return progress; }
    public void setProgress(Integer progress) { this.progress = progress; }
    public String getFailureMessage() { return failureMessage; }
    public void setFailureMessage(String failureMessage) { this.failureMessage = failureMessage; }
    public Boolean getIsRetry() { return isRetry; }
    public void setIsRetry(Boolean isRetry) { this.isRetry = isRetry; }
}

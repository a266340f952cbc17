package dev.vse.model;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlTransient;
import jakarta.xml.bind.annotation.adapters.XmlJavaTypeAdapter;
import java.time.Instant;

/**
 * What the three job entities share ({@code GET <job Href>?format=Entity}): {@link Job} under {@code /jobs/{ID}},
 * {@link AgentBackupJob} under {@code /agents/jobs/{ID}} and {@link NasJob} under {@code /nas/jobs/{ID}}. Read for
 * the retry policy ({@link #getRetryOptions()}); {@code JobInfo}, includes and storage options are ignored.
 *
 * <p>The {@code UID} prefix follows the root ({@code urn:veeam:Job:}, {@code urn:veeam:AgentBackupJob:},
 * {@code urn:veeam:NasJob:}), while a session's {@code JobUid} is always {@code urn:veeam:Job:<guid>}: compare GUIDs,
 * not UIDs. {@code JobType} is an open string and absent from the documented {@code NASJob}.
 */
@XmlTransient
public abstract class JobEntity extends Entity {
    @XmlElement(name = "JobType") private String jobType;
    @XmlElement(name = "Platform") private String platform;
    @XmlElement(name = "Description") private String description;
    @XmlElement(name = "ScheduleConfigured") private Boolean scheduleConfigured;
    @XmlElement(name = "ScheduleEnabled") private Boolean scheduleEnabled;
    @XmlElement(name = "NextRun") @XmlJavaTypeAdapter(UtcInstantAdapter.class) private Instant nextRun;
    @XmlElement(name = "JobScheduleOptions") private JobScheduleOptions jobScheduleOptions;

    /** The job's retry policy from {@code JobScheduleOptions}; null when the entity has none. */
    public RetryOptions getRetryOptions() {
        return jobScheduleOptions == null ? null : jobScheduleOptions.getRetryOptions();
    }

    public String getJobType() { return jobType; }
    public void setJobType(String jobType) { this.jobType = jobType; }
    public String getPlatform() { return platform; }
    public void setPlatform(String platform) { this.platform = platform; }
    public String getDescription() { return description; }
    public void setDescription(String description) { this.description = description; }
    public Boolean getScheduleConfigured() { return scheduleConfigured; }
    public void setScheduleConfigured(Boolean v) { this.scheduleConfigured = v; }
    public Boolean getScheduleEnabled() { return scheduleEnabled; }
    public void setScheduleEnabled(Boolean v) { this.scheduleEnabled = v; }
    public Instant getNextRun() { return nextRun; }
    public void setNextRun(Instant nextRun) { this.nextRun = nextRun; }
    public JobScheduleOptions getJobScheduleOptions() { return jobScheduleOptions; }
    public void setJobScheduleOptions(JobScheduleOptions o) { this.jobScheduleOptions = o; }
}

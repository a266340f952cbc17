package dev.vse.model;

import jakarta.xml.bind.annotation.XmlRootElement;

/** A Veeam Agent backup job entity ({@code <AgentBackupJob>}, {@code /agents/jobs/{ID}?format=Entity}). */
@XmlRootElement(name = "AgentBackupJob")
public class AgentBackupJob extends JobEntity {
}

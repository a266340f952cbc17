package dev.vse.model;

import jakarta.xml.bind.annotation.XmlRootElement;

/** A backup job session: backup, backup copy, agent and file-share jobs all arrive as this type. */
@XmlRootElement(name = "BackupJobSession")
public class BackupJobSession extends JobSession {
    public static final String TYPE = "BackupJobSession";

    @Override
    public String sessionType() { return TYPE; }
}

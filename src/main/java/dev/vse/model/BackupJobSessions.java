package dev.vse.model;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.ArrayList;
import java.util.List;

/** Entity collection {@code <BackupJobSessions>} (in query results and {@code ?format=Entity} lists). */
@XmlRootElement(name = "BackupJobSessions")
public class BackupJobSessions {
    @XmlElement(name = "BackupJobSession") private List<BackupJobSession> sessions = new ArrayList<>();

    public BackupJobSessions() { }

    public BackupJobSessions(List<BackupJobSession> sessions) { this.sessions = new ArrayList<>(sessions); }

    public List<BackupJobSession> getSessions() { return sessions; }
}

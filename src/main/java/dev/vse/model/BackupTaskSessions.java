package dev.vse.model;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.ArrayList;
import java.util.List;

/** Entity collection {@code <BackupTaskSessions>}. */
@XmlRootElement(name = "BackupTaskSessions")
public class BackupTaskSessions {
    @XmlElement(name = "BackupTaskSession") private List<BackupTaskSession> sessions = new ArrayList<>();

    public BackupTaskSessions() { }

    public BackupTaskSessions(List<BackupTaskSession> sessions) { this.sessions = new ArrayList<>(sessions); }

    public List<BackupTaskSession> getSessions() { return sessions; }
}

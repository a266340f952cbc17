package dev.vse.model;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.ArrayList;
import java.util.List;

/** {@code GET /api/logonSessions}. */
@XmlRootElement(name = "LogonSessions")
public class LogonSessions {
    @XmlElement(name = "LogonSession") private List<LogonSession> sessions = new ArrayList<>();

    public LogonSessions() { }

    public LogonSessions(List<LogonSession> sessions) { this.sessions = new ArrayList<>(sessions); }

    public List<LogonSession> getSessions() { return sessions; }
}

package dev.vse.model;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.ArrayList;
import java.util.List;

/** Entity collection {@code <ReplicaTaskSessions>}. */
@XmlRootElement(name = "ReplicaTaskSessions")
public class ReplicaTaskSessions {
    @XmlElement(name = "ReplicaTaskSession") private List<ReplicaTaskSession> sessions = new ArrayList<>();

    public ReplicaTaskSessions() { }

    public ReplicaTaskSessions(List<ReplicaTaskSession> sessions) { this.sessions = new ArrayList<>(sessions); }

    public List<ReplicaTaskSession> getSessions() { return sessions; }
}

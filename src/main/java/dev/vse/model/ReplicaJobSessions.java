package dev.vse.model;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.ArrayList;
import java.util.List;

/** Entity collection {@code <ReplicaJobSessions>}. */
@XmlRootElement(name = "ReplicaJobSessions")
public class ReplicaJobSessions {
    @XmlElement(name = "ReplicaJobSession") private List<ReplicaJobSession> sessions = new ArrayList<>();

    public ReplicaJobSessions() { }

    public ReplicaJobSessions(List<ReplicaJobSession> sessions) { this.sessions = new ArrayList<>(sessions); }

    public List<ReplicaJobSession> getSessions() { return sessions; }
}

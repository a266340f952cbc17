package dev.vse.model;

import jakarta.xml.bind.annotation.XmlRootElement;

/** A per-VM task of a replication job session ({@code /replicaTaskSessions/{ID}?format=Entity}). */
@XmlRootElement(name = "ReplicaTaskSession")
public class ReplicaTaskSession extends TaskSession {
}

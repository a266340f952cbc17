package dev.vse.model;

import jakarta.xml.bind.annotation.XmlRootElement;

/** A replication job session ({@code JobType=Replica}). */
@XmlRootElement(name = "ReplicaJobSession")
public class ReplicaJobSession extends JobSession {
    public static final String TYPE = "ReplicaJobSession";

    @Override
    public String sessionType() { return TYPE; }
}

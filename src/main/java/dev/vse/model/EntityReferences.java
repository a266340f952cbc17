package dev.vse.model;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.ArrayList;
import java.util.List;

/** A reference list ({@code /backupSessions}, {@code /backupSessions/{ID}/taskSessions}, query {@code Refs}). */
@XmlRootElement(name = "EntityReferences")
public class EntityReferences {
    @XmlElement(name = "Ref") private List<Ref> refs = new ArrayList<>();

    public EntityReferences() { }

    public EntityReferences(List<Ref> refs) { this.refs = new ArrayList<>(refs); }

    public List<Ref> getRefs() { return refs; }
}

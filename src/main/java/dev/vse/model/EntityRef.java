package dev.vse.model;

import jakarta.xml.bind.annotation.XmlRootElement;

/** A single reference document ({@code GET /backupSessions/{ID}} without {@code format=Entity}). */
@XmlRootElement(name = "EntityRef")
public class EntityRef extends Ref {
    public EntityRef() { }

    public EntityRef(String type, String href, String name, String uid, Links links) {
        super(type, href, name, uid, links);
    }
}

package dev.vse.model;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlTransient;

/**
 * What every EM entity carries: the attributes {@code Href}, {@code Type}, {@code Name}, {@code UID} and its
 * {@code Links} (XSD {@code EntityType}). Job sessions, task sessions and jobs extend it.
 */
@XmlTransient
public abstract class Entity {
    @XmlAttribute(name = "Href") private String href;
    @XmlAttribute(name = "Type") private String type;
    @XmlAttribute(name = "Name") private String name;
    @XmlAttribute(name = "UID") private String uid;
    @XmlElement(name = "Links") private Links links;

    public String getHref() { return href; }
    public void setHref(String href) { this.href = href; }
    public String getType() { return type; }
    public void setType(String type) { this.type = type; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getUid() { return uid; }
    public void setUid(String uid) { this.uid = uid; }
    public Links getLinks() { return links; }
    public void setLinks(Links links) { this.links = links; }
}

package dev.vse.model;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;

/** A reference ({@code <Ref>} in lists, {@code <EntityRef>} alone): Type, Href, Name, UID and Links. */
public class Ref {
    @XmlAttribute(name = "Type") private String type;
    @XmlAttribute(name = "Href") private String href;
    @XmlAttribute(name = "Name") private String name;
    @XmlAttribute(name = "UID") private String uid;
    @XmlElement(name = "Links") private Links links;

    public Ref() { }

    public Ref(String type, String href, String name, String uid, Links links) {
        this.type = type;
        this.href = href;
        this.name = name;
        this.uid = uid;
        this.links = links;
    }

    public String getType() { return type; }
    public String getHref() { return href; }
    public String getName() { return name; }
    public String getUid() { return uid; }
    public Links getLinks() { return links; }
}

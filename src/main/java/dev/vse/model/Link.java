package dev.vse.model;

import jakarta.xml.bind.annotation.XmlAttribute;

/** A {@code <Link Rel Type Href Name/>}; attribute order varies between EM versions and is irrelevant here. */
public class Link {
    @XmlAttribute(name = "Rel") private String rel;
    @XmlAttribute(name = "Type") private String type;
    @XmlAttribute(name = "Href") private String href;
    @XmlAttribute(name = "Name") private String name;

    public Link() { }

    public Link(String rel, String type, String href, String name) {
        this.rel = rel;
        this.type = type;
        this.href = href;
        this.name = name;
    }

    public String getRel() { return rel; }
    public String getType() { return type; }
    public String getHref() { return href; }
    public String getName() { return name; }
}

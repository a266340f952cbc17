package dev.vse.model;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;

/** {@code <SupportedVersion Name="v1_7">} with its logon link. */
public class SupportedVersion {
    @XmlAttribute(name = "Name") private String name;
    @XmlElement(name = "Links") private Links links;

    public SupportedVersion() { }

    public SupportedVersion(String name, Links links) {
        this.name = name;
        this.links = links;
    }

    public String getName() { return name; }
    public Links getLinks() { return links; }
}

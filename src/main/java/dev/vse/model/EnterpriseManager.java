package dev.vse.model;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlElementWrapper;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.ArrayList;
import java.util.List;

/** Answer of the unauthenticated {@code GET /api/}: entry links and the API versions the server speaks. */
@XmlRootElement(name = "EnterpriseManager")
public class EnterpriseManager {
    @XmlAttribute(name = "Href") private String href;
    @XmlAttribute(name = "Type") private String type;
    @XmlElement(name = "Links") private Links links;
    @XmlElementWrapper(name = "SupportedVersions") @XmlElement(name = "SupportedVersion")
    private List<SupportedVersion> supportedVersions = new ArrayList<>();

    public EnterpriseManager() { }

    public EnterpriseManager(Links links, List<SupportedVersion> supportedVersions) {
        this.links = links;
        this.supportedVersions = new ArrayList<>(supportedVersions);
    }

    public String getHref() { return href; }
    public String getType() { return type; }
    public Links getLinks() { return links; }
    public List<SupportedVersion> getSupportedVersions() { return supportedVersions; }
}

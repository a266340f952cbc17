package dev.vse.model;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;

/** Body of a successful {@code POST /api/sessionMngr/}; the token itself travels in {@code X-RestSvcSessionId}. */
@XmlRootElement(name = "LogonSession")
public class LogonSession {
    @XmlAttribute(name = "Type") private String type;
    @XmlAttribute(name = "Href") private String href;
    @XmlElement(name = "Links") private Links links;
    @XmlElement(name = "UserName") private String userName;
    @XmlElement(name = "SessionId") private String sessionId;

    public LogonSession() { }

    public LogonSession(String href, Links links, String userName, String sessionId) {
        this.type = "LogonSession";
        this.href = href;
        this.links = links;
        this.userName = userName;
        this.sessionId = sessionId;
    }

    public String getType() { return type; }
    public String getHref() { return href; }
    public Links getLinks() { return links; }
    public String getUserName() { return userName; }
    public String getSessionId() { return sessionId; }
}

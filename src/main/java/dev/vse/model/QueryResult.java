package dev.vse.model;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlElementWrapper;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.ArrayList;
import java.util.List;

/** Result of {@code GET /api/query}: {@code Refs} (reference format) or {@code Entities}, plus {@code PagingInfo}. */
@XmlRootElement(name = "QueryResult")
public class QueryResult {
    @XmlElementWrapper(name = "Refs") @XmlElement(name = "Ref") private List<Ref> refs;
    @XmlElement(name = "Entities") private Entities entities;
    @XmlElement(name = "PagingInfo") private PagingInfo pagingInfo;

    public List<Ref> getRefs() { return refs == null ? new ArrayList<>() : refs; }
    public void setRefs(List<Ref> refs) { this.refs = refs; }
    public Entities getEntities() { return entities; }
    public void setEntities(Entities entities) { this.entities = entities; }
    public PagingInfo getPagingInfo() { return pagingInfo; }
    public void setPagingInfo(PagingInfo pagingInfo) { this.pagingInfo = pagingInfo; }

    /** Job sessions carried by this page (empty for reference format). */
    public List<JobSession> jobSessions() {
        return entities == null ? new ArrayList<>() : entities.jobSessions();
    }
}

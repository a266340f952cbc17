package dev.vse.model;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;

/** {@code <PagingInfo PageNum PageSize PagesCount>} with First/Last/Next/Previous links. */
public class PagingInfo {
    @XmlAttribute(name = "PageNum") private Integer pageNum;
    @XmlAttribute(name = "PageSize") private Integer pageSize;
    @XmlAttribute(name = "PagesCount") private Integer pagesCount;
    @XmlElement(name = "Links") private Links links;

    public PagingInfo() { }

    public PagingInfo(int pageNum, int pageSize, int pagesCount, Links links) {
        this.pageNum = pageNum;
        this.pageSize = pageSize;
        this.pagesCount = pagesCount;
        this.links = links;
    }

    public Integer getPageNum() { return pageNum; }
    public Integer getPageSize() { return pageSize; }
    public Integer getPagesCount() { return pagesCount; }
    public Links getLinks() { return links; }
}

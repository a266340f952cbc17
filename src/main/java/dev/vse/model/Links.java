package dev.vse.model;

import jakarta.xml.bind.annotation.XmlElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code <Links>} wrapper carried by entities, references and paging info. */
public class Links {
    @XmlElement(name = "Link") private List<Link> links = new ArrayList<>();

    public Links() { }

    public Links(List<Link> links) { this.links = new ArrayList<>(links); }

    public List<Link> getLinks() { return links; }

    /** First link with the given relation and type (either may be null to match any). */
    public Optional<Link> find(String rel, String type) {
        return links.stream()
                .filter(l -> rel == null || rel.equalsIgnoreCase(l.getRel()))
                .filter(l -> type == null || type.equalsIgnoreCase(l.getType()))
                .findFirst();
    }
}

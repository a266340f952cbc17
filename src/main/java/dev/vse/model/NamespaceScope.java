package dev.vse.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.stream.XMLStreamReader;

/**
 * The namespace declarations in scope at an element, collected while descending (root, {@code Entities}, list):
 * a rejected session's fragment needs those of its ancestors to stand alone. Immutable; an element without
 * declarations shares its parent's scope.
 */
final class NamespaceScope {
    static final NamespaceScope EMPTY = new NamespaceScope(Map.of());

    /** Prefix ("" for the default namespace) to URI. */
    private final Map<String, String> declarations;

    private NamespaceScope(Map<String, String> declarations) {
        this.declarations = declarations;
    }

    /** The scope inside the element the reader is on (at its start tag). */
    NamespaceScope enter(XMLStreamReader reader) {
        int n = reader.getNamespaceCount();
        if (n == 0) {
            return this;
        }
        Map<String, String> inner = new LinkedHashMap<>(declarations);
        inner.putAll(declaredOn(reader));
        return new NamespaceScope(Collections.unmodifiableMap(inner)); // document order, as EM wrote them
    }

    /** The declarations on the start tag the reader is on, prefix ("" for default) to URI. */
    static Map<String, String> declaredOn(XMLStreamReader reader) {
        Map<String, String> own = new LinkedHashMap<>();
        for (int i = 0; i < reader.getNamespaceCount(); i++) {
            String prefix = reader.getNamespacePrefix(i);
            own.put(prefix == null ? "" : prefix, reader.getNamespaceURI(i) == null ? "" : reader.getNamespaceURI(i));
        }
        return own;
    }

    /** The declarations in scope that an element declaring {@code own} itself inherits. */
    Map<String, String> inheritedBy(Map<String, String> own) {
        Map<String, String> inherited = new LinkedHashMap<>(declarations);
        inherited.keySet().removeAll(own.keySet());
        return inherited;
    }
}

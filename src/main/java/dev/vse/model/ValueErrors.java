package dev.vse.model;

import dev.vse.util.OneLine;
import jakarta.xml.bind.ValidationEvent;
import jakarta.xml.bind.ValidationEventHandler;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;

/**
 * The unmarshaller's event handler for session-by-session reading: tolerates what {@link EmXml#tolerate} tolerates
 * (unknown elements and attributes) and remembers the first fatal event (a value that does not convert) with the
 * element it was read from, so that the rejected session carries a reason a person can act on.
 */
final class ValueErrors implements ValidationEventHandler {
    private final XMLStreamReader reader;
    private String first;

    ValueErrors(XMLStreamReader reader) {
        this.reader = reader;
    }

    @Override
    public boolean handleEvent(ValidationEvent event) {
        if (EmXml.tolerate(event)) {
            return true;
        }
        if (first == null) {
            first = describe(event);
        }
        return false;
    }

    /** The first fatal event since the last call, on one line, or null; forgets it. */
    String takeFirst() {
        String f = first;
        first = null;
        return f;
    }

    private String describe(ValidationEvent event) {
        Throwable linked = event.getLinkedException();
        String message = event.getMessage() != null ? event.getMessage()
                : linked != null ? OneLine.message(linked) : "value does not convert";
        // a leaf value is converted when its end tag is read, an attribute when its start tag is
        int at = reader.getEventType();
        String element = at == XMLStreamConstants.START_ELEMENT || at == XMLStreamConstants.END_ELEMENT
                ? " in <" + reader.getLocalName() + ">" : "";
        return OneLine.of("bad value" + element + ": " + message);
    }
}

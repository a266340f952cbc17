package dev.vse.model;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.util.StreamReaderDelegate;

/**
 * The StAX reader every EM document is read through. Fails on a DOCTYPE or an entity reference instead of
 * skipping it (EM never sends one, so one means hostile or broken input), remembers whether the parser itself
 * failed (so a caller can tell "not XML" from "a value JAXB could not convert"), and counts element depth so
 * that {@link SessionPageReader} can find where a session element ends without a second pass.
 *
 * <p>Every method that advances goes through {@link #next()}, so the checks and the depth cannot be bypassed.
 */
final class GuardedReader extends StreamReaderDelegate {
    private int depth;
    private int watchedDepth = -1;
    private int watchedEndOffset = -1;
    private boolean atWatchedEnd;
    private Exception failure;

    GuardedReader(XMLStreamReader reader) {
        super(reader);
    }

    @Override
    public int next() throws XMLStreamException {
        int event;
        atWatchedEnd = false;
        try {
            event = super.next();
            if (event == XMLStreamConstants.DTD) {
                throw new XMLStreamException("DOCTYPE/DTD refused");
            }
            if (event == XMLStreamConstants.ENTITY_REFERENCE) {
                throw new XMLStreamException("entity reference refused: " + getLocalName());
            }
        } catch (XMLStreamException | RuntimeException e) {
            failure = e;
            throw e;
        }
        if (event == XMLStreamConstants.START_ELEMENT) {
            depth++;
        } else if (event == XMLStreamConstants.END_ELEMENT && --depth == watchedDepth) {
            watchedEndOffset = characterOffset();
            atWatchedEnd = true;
        }
        return event;
    }

    @Override
    public int nextTag() throws XMLStreamException {
        int event = next();
        while (event == XMLStreamConstants.CHARACTERS && isWhiteSpace() || event == XMLStreamConstants.SPACE
                || event == XMLStreamConstants.COMMENT || event == XMLStreamConstants.PROCESSING_INSTRUCTION) {
            event = next();
        }
        if (event != XMLStreamConstants.START_ELEMENT && event != XMLStreamConstants.END_ELEMENT) {
            throw new XMLStreamException("expected a start or end tag, got event " + event, getLocation());
        }
        return event;
    }

    @Override
    public String getElementText() throws XMLStreamException {
        StringBuilder text = new StringBuilder();
        for (int event = next(); event != XMLStreamConstants.END_ELEMENT; event = next()) {
            if (event == XMLStreamConstants.START_ELEMENT) {
                throw new XMLStreamException("element text expected, got a child element", getLocation());
            }
            if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
                    || event == XMLStreamConstants.SPACE) {
                text.append(getText());
            }
        }
        return text.toString();
    }

    /** Open elements, counting the current start tag and no longer counting the current end tag. */
    int depth() {
        return depth;
    }

    /**
     * Watches for the end tag that brings the depth back to {@code parentDepth}; {@link #watchedEndOffset()}
     * is -1 until it is read.
     */
    void watch(int parentDepth) {
        watchedDepth = parentDepth;
        watchedEndOffset = -1;
    }

    /** Character offset just after the watched end tag, or -1 while it has not been read. */
    int watchedEndOffset() {
        return watchedEndOffset;
    }

    /** Whether the current event is the watched end tag. */
    boolean atWatchedEnd() {
        return atWatchedEnd;
    }

    /**
     * Character offset (UTF-16 units of the decoded document, BOM excluded) just after the current event: for a
     * start tag, just after its {@code >}. This is how the JDK's own StAX parser reports it, which is why
     * {@link EmXml} asks for that parser by name rather than whatever the classpath offers.
     */
    int characterOffset() {
        return getLocation().getCharacterOffset();
    }

    /** What made the parser itself fail (not XML, truncated, DTD, entity), or null. */
    Exception failure() {
        return failure;
    }
}

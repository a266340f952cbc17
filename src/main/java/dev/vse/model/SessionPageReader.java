package dev.vse.model;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Unmarshaller;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;

/**
 * One pass of StAX over a session document, JAXB for each session element on the same reader. The reader is
 * walked by hand down to the session lists ({@code QueryResult/Entities/BackupJobSessions}, a list root, or a
 * session root); each session element is handed to JAXB, which reads it and leaves the reader just after it.
 * Per session the common path only notes where its start tag ends; a rejected session costs a skip to its end
 * tag now and a cut of its text after the parse ({@link Fragments}). Not thread-safe; one instance per body.
 */
final class SessionPageReader {
    private final byte[] body;
    private final int offset;
    private final GuardedReader reader;
    private final JAXBContext context;
    private final ValueErrors errors;
    private Unmarshaller unmarshaller;
    private PagingInfo pagingInfo;
    private final List<JobSession> sessions = new ArrayList<>();
    private final List<Fragments.Cut> cuts = new ArrayList<>();

    SessionPageReader(byte[] body, int offset, GuardedReader reader, JAXBContext context) throws JAXBException {
        this.body = body;
        this.offset = offset;
        this.reader = reader;
        this.context = context;
        this.errors = new ValueErrors(reader);
        this.unmarshaller = newUnmarshaller();
    }

    /** Reads the whole body; throws {@link MalformedXmlException} when the document itself is not readable. */
    SessionPage read() throws XMLStreamException, JAXBException {
        int event = reader.next();
        while (event != XMLStreamConstants.START_ELEMENT) {
            event = reader.next();
        }
        root(NamespaceScope.EMPTY.enter(reader));
        // parse to the end: trailing garbage or a truncated body is the whole document's problem
        while (reader.getEventType() != XMLStreamConstants.END_DOCUMENT) {
            reader.next();
        }
        return new SessionPage(pagingInfo, sessions, Fragments.cut(body, offset, charset(), cuts));
    }

    private void root(NamespaceScope scope) throws XMLStreamException, JAXBException {
        String name = reader.getLocalName();
        SessionElement list = inNamespace() ? SessionElement.byListName(name) : null;
        SessionElement single = inNamespace() ? SessionElement.bySessionName(name) : null;
        if (inNamespace() && "QueryResult".equals(name)) {
            queryResult(scope);
        } else if (list != null) {
            sessionList(list, scope);
        } else if (single != null) {
            session(single, scope);
        } else {
            throw new MalformedXmlException("expected <QueryResult>, a session list or a session but the document"
                    + " root is <" + name + ">", null);
        }
    }

    private void queryResult(NamespaceScope scope) throws XMLStreamException, JAXBException {
        children(() -> {
            if (isElement("Entities")) {
                entities(scope.enter(reader));
            } else if (isElement("PagingInfo")) {
                pagingInfo = pagingInfo();
            } else {
                skip(); // Refs (format=References) and anything newer EM versions add
            }
        });
    }

    private void entities(NamespaceScope scope) throws XMLStreamException, JAXBException {
        children(() -> {
            SessionElement list = inNamespace() ? SessionElement.byListName(reader.getLocalName()) : null;
            if (list != null) {
                sessionList(list, scope.enter(reader));
            } else {
                skip(); // BackupTaskSessions and other entity lists are not job sessions
            }
        });
    }

    private void sessionList(SessionElement type, NamespaceScope scope) throws XMLStreamException, JAXBException {
        children(() -> {
            if (isElement(type.sessionName)) {
                session(type, scope);
            } else {
                skip(); // as JAXB does: a list holds only its own session type
            }
        });
    }

    /** Reads one child element; called on its start tag, returns just after its end tag. */
    @FunctionalInterface
    private interface Child {
        void read() throws XMLStreamException, JAXBException;
    }

    /**
     * The reader is on an element's start tag: hands each child element to {@code child} (text, comments and
     * processing instructions in between are passed over) and leaves the reader just after the element's end tag.
     */
    private void children(Child child) throws XMLStreamException, JAXBException {
        int event = reader.next();
        while (event != XMLStreamConstants.END_ELEMENT) {
            if (event == XMLStreamConstants.START_ELEMENT) {
                child.read();
                event = reader.getEventType();
            } else {
                event = reader.next();
            }
        }
        reader.next();
    }

    /** The reader is on the session's start tag; leaves it just after the session's end tag. */
    private void session(SessionElement type, NamespaceScope scope) throws XMLStreamException, JAXBException {
        int startTagEnd = reader.characterOffset();
        String prefix = reader.getPrefix();
        Map<String, String> own = reader.getNamespaceCount() == 0 ? Map.of() : NamespaceScope.declaredOn(reader);
        reader.watch(reader.depth() - 1);
        JobSession session = null;
        String reason;
        try {
            session = unmarshaller.unmarshal(reader, type.type).getValue();
            reason = violations(session);
        } catch (JAXBException | RuntimeException e) {
            if (reader.failure() != null) {
                throw new MalformedXmlException("malformed XML: " + EmXml.describe(reader.failure()), reader.failure());
            }
            String first = errors.takeFirst();
            reason = first != null ? first : "unreadable session: " + EmXml.describe(e);
            unmarshaller = newUnmarshaller(); // do not reuse one that failed half way
            skipToWatchedEnd();
        }
        if (reason == null) {
            sessions.add(session);
        } else {
            String qName = prefix == null || prefix.isEmpty() ? type.sessionName : prefix + ":" + type.sessionName;
            cuts.add(new Fragments.Cut(startTagEnd, reader.watchedEndOffset(), qName, scope.inheritedBy(own),
                    session == null ? null : session.getUid(), reason));
        }
    }

    /** After JAXB gave up inside a session: on to the session's end tag, then just after it. */
    private void skipToWatchedEnd() throws XMLStreamException {
        while (reader.watchedEndOffset() < 0) {
            reader.next();
        }
        if (reader.atWatchedEnd()) {
            reader.next();
        }
    }

    /**
     * The model's minimum for a session: without a UID it cannot be tracked, without State or CreationTimeUTC
     * no event can be derived. Returns the reason, or null when the session is fine.
     */
    static String violations(JobSession s) {
        List<String> missing = new ArrayList<>(3);
        if (isBlank(s.getUid())) {
            missing.add("UID");
        }
        if (isBlank(s.getState())) {
            missing.add("State");
        }
        if (s.getCreationTimeUtc() == null) {
            missing.add("CreationTimeUTC");
        }
        return missing.isEmpty() ? null : "violates the model: missing " + String.join(", ", missing);
    }

    private PagingInfo pagingInfo() throws XMLStreamException {
        try {
            return unmarshaller.unmarshal(reader, PagingInfo.class).getValue();
        } catch (JAXBException | RuntimeException e) {
            // without paging the page cannot be followed: the whole response is unreadable
            if (reader.failure() != null) {
                throw new MalformedXmlException("malformed XML: " + EmXml.describe(reader.failure()), reader.failure());
            }
            String first = errors.takeFirst();
            throw new MalformedXmlException("malformed XML: unreadable <PagingInfo>: "
                    + (first != null ? first : EmXml.describe(e)), e);
        }
    }

    /** The reader is on a start tag; leaves it just after the matching end tag (still parsing everything). */
    private void skip() throws XMLStreamException {
        int parent = reader.depth() - 1;
        int event = reader.getEventType();
        while (!(event == XMLStreamConstants.END_ELEMENT && reader.depth() == parent)) {
            event = reader.next();
        }
        reader.next();
    }

    private boolean isElement(String localName) {
        return localName.equals(reader.getLocalName()) && inNamespace();
    }

    private boolean inNamespace() {
        return EmXml.NS.equals(reader.getNamespaceURI());
    }

    private Charset charset() {
        String encoding = reader.getEncoding();
        try {
            return encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
        } catch (IllegalArgumentException unknown) {
            return StandardCharsets.UTF_8;
        }
    }

    private Unmarshaller newUnmarshaller() throws JAXBException {
        Unmarshaller u = context.createUnmarshaller();
        u.setEventHandler(errors);
        return u;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}

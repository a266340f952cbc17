package dev.vse.model;

import dev.vse.util.OneLine;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import jakarta.xml.bind.Unmarshaller;
import jakarta.xml.bind.ValidationEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The one door in and out of EM's XML. Parsing refuses DTDs and external entities (and so every
 * entity-expansion bomb), strips a UTF-8 BOM, ignores unknown elements and attributes, and turns
 * anything else into a {@link MalformedXmlException}. Thread-safe.
 */
public final class EmXml {
    /** The EM REST namespace. */
    public static final String NS = "http://www.veeam.com/ent/v1.0";

    private static final JAXBContext CONTEXT = createContext();
    private static final XMLInputFactory INPUT = createInputFactory();

    private EmXml() { }

    /** Parses {@code bytes} and checks that the root is of {@code type}. */
    public static <T> T unmarshal(byte[] bytes, Class<T> type) {
        Object root = unmarshal(bytes);
        if (!type.isInstance(root)) {
            throw new MalformedXmlException("expected <" + rootName(type) + "> but the document root is <"
                    + root.getClass().getSimpleName() + ">", null);
        }
        return type.cast(root);
    }

    /** Parses any document of the model; the root decides the returned type. */
    public static Object unmarshal(byte[] bytes) {
        GuardedReader reader = null;
        try {
            reader = open(bytes);
            Unmarshaller unmarshaller = CONTEXT.createUnmarshaller();
            unmarshaller.setEventHandler(EmXml::tolerate);
            return unmarshaller.unmarshal(reader);
        } catch (JAXBException | XMLStreamException | RuntimeException e) {
            throw e instanceof MalformedXmlException m ? m : new MalformedXmlException("malformed XML: " + describe(e), e);
        } finally {
            close(reader);
        }
    }

    /**
     * Reads a page of job sessions session by session, so that one bad session does not make the others
     * unreadable. Accepts a query result ({@code QueryResult} with {@code Entities}, {@code format=Entities}), a
     * session list ({@code BackupJobSessions}, {@code ReplicaJobSessions}) and a single session
     * ({@code BackupJobSession}, {@code ReplicaJobSession}); the latter gives one session or one rejected.
     *
     * <p>A session element whose value does not convert (a date, a number) or that violates the model (no
     * {@code UID}, {@code State} or {@code CreationTimeUTC}) is returned in {@link SessionPage#rejected()} with its
     * own XML; the others are returned in document order. Unknown elements and attributes are ignored, as by
     * {@link #unmarshal(byte[])}; other entity lists ({@code BackupTaskSessions}) and {@code Refs} are skipped.
     *
     * <p>The body is parsed to its end before anything is returned: a body that is not well-formed anywhere
     * (truncated, not XML, a DOCTYPE, an entity reference), has another root ({@code Error}, {@code LogonSession},
     * {@code EntityReferences}) or an unreadable {@code PagingInfo} throws {@link MalformedXmlException}, never a
     * half page. One pass over the bytes; extra work only for a page with rejected sessions.
     */
    public static SessionPage readSessions(byte[] body) {
        GuardedReader reader = null;
        try {
            reader = open(body);
            return new SessionPageReader(body, hasBom(body) ? 3 : 0, reader, CONTEXT).read();
        } catch (JAXBException | XMLStreamException | RuntimeException e) {
            throw e instanceof MalformedXmlException m ? m : new MalformedXmlException("malformed XML: " + describe(e), e);
        } finally {
            close(reader);
        }
    }

    /** A guarded reader over {@code bytes}, BOM skipped; {@link MalformedXmlException} for an empty body. */
    static GuardedReader open(byte[] bytes) throws XMLStreamException {
        if (bytes == null || bytes.length == 0) {
            throw new MalformedXmlException("empty body", null);
        }
        int offset = hasBom(bytes) ? 3 : 0;
        return new GuardedReader(INPUT.createXMLStreamReader(
                new ByteArrayInputStream(bytes, offset, bytes.length - offset)));
    }

    /** Serialises a model object as EM does (default namespace, UTF-8, XML declaration). */
    public static byte[] marshal(Object root) {
        try {
            Marshaller marshaller = CONTEXT.createMarshaller();
            marshaller.setProperty(Marshaller.JAXB_ENCODING, "UTF-8");
            ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
            marshaller.marshal(root, out);
            return out.toByteArray();
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot serialise " + root.getClass().getSimpleName(), e);
        }
    }

    /**
     * Unknown elements are structural events (linked to a SAX exception) and are skipped, which keeps us
     * compatible with newer EM versions; a value that fails to convert (a date, a number) is fatal.
     */
    static boolean tolerate(ValidationEvent event) {
        if (event.getSeverity() == ValidationEvent.WARNING) {
            return true;
        }
        Throwable linked = event.getLinkedException();
        return event.getSeverity() == ValidationEvent.ERROR
                && (linked == null || linked instanceof org.xml.sax.SAXException);
    }

    static boolean hasBom(byte[] b) {
        return b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF;
    }

    /** The innermost useful message of {@code e} (JAXB wraps the parser's), on one line. */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t instanceof JAXBException)) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return OneLine.of(m);
    }

    private static String rootName(Class<?> type) {
        jakarta.xml.bind.annotation.XmlRootElement r = type.getAnnotation(jakarta.xml.bind.annotation.XmlRootElement.class);
        return r == null ? type.getSimpleName() : r.name();
    }

    static void close(XMLStreamReader reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (XMLStreamException ignored) {
                // nothing to release beyond the in-memory stream
            }
        }
    }

    private static JAXBContext createContext() {
        try {
            return JAXBContext.newInstance(EnterpriseManager.class, LogonSession.class, LogonSessions.class,
                    QueryResult.class, EntityReferences.class, EntityRef.class, BackupJobSession.class,
                    ReplicaJobSession.class, BackupTaskSession.class, BackupJobSessions.class,
                    ReplicaJobSessions.class, BackupTaskSessions.class, ReplicaTaskSession.class,
                    ReplicaTaskSessions.class, Job.class, AgentBackupJob.class, NasJob.class, EmError.class);
        } catch (JAXBException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static XMLInputFactory createInputFactory() {
        // the JDK's own parser, whatever else the classpath brings: readSessions relies on how it reports
        // character offsets (GuardedReader#characterOffset), and its security properties are known
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setXMLResolver((publicId, systemId, baseUri, ns) -> {
            throw new XMLStreamException("external entity refused: " + systemId);
        });
        return f;
    }
}

package dev.vse.model;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import jakarta.xml.bind.Unmarshaller;
import jakarta.xml.bind.ValidationEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.util.StreamReaderDelegate;

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
        if (bytes == null || bytes.length == 0) {
            throw new MalformedXmlException("empty body", null);
        }
        int offset = hasBom(bytes) ? 3 : 0;
        XMLStreamReader reader = null;
        try {
            reader = new NoDtdReader(INPUT.createXMLStreamReader(
                    new ByteArrayInputStream(bytes, offset, bytes.length - offset)));
            Unmarshaller unmarshaller = CONTEXT.createUnmarshaller();
            unmarshaller.setEventHandler(EmXml::tolerate);
            return unmarshaller.unmarshal(reader);
        } catch (JAXBException | XMLStreamException | RuntimeException e) {
            throw new MalformedXmlException("malformed XML: " + describe(e), e);
        } finally {
            close(reader);
        }
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
    private static boolean tolerate(ValidationEvent event) {
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

    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t instanceof JAXBException)) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        m = m.replaceAll("\\s+", " ").trim();
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }

    private static String rootName(Class<?> type) {
        jakarta.xml.bind.annotation.XmlRootElement r = type.getAnnotation(jakarta.xml.bind.annotation.XmlRootElement.class);
        return r == null ? type.getSimpleName() : r.name();
    }

    private static void close(XMLStreamReader reader) {
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
                    ReplicaJobSessions.class, BackupTaskSessions.class, EmError.class);
        } catch (JAXBException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static XMLInputFactory createInputFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setXMLResolver((publicId, systemId, baseUri, ns) -> {
            throw new XMLStreamException("external entity refused: " + systemId);
        });
        return f;
    }

    /** Fails on a DOCTYPE instead of skipping it: EM never sends one, so one means hostile or broken input. */
    private static final class NoDtdReader extends StreamReaderDelegate {
        NoDtdReader(XMLStreamReader reader) {
            super(reader);
        }

        @Override
        public int next() throws XMLStreamException {
            int event = super.next();
            if (event == XMLStreamConstants.DTD) {
                throw new XMLStreamException("DOCTYPE/DTD refused");
            }
            if (event == XMLStreamConstants.ENTITY_REFERENCE) {
                throw new XMLStreamException("entity reference refused: " + getLocalName());
            }
            return event;
        }
    }
}

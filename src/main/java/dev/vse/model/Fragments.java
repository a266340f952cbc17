package dev.vse.model;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;

/**
 * Cuts the XML of rejected session elements out of a body once it has been parsed to the end. This is the only
 * extra work of session-by-session reading, and it happens only for a page that has a rejected session: the body
 * is decoded once more and each element's text taken between the character offsets recorded while parsing.
 */
final class Fragments {

    /**
     * Where a rejected session element is and what it needs to stand alone.
     *
     * @param startTagEnd character offset just after its start tag
     * @param end         character offset just after its end tag (the start tag's end for an empty element)
     * @param qName       its name as written, with prefix if it has one
     * @param inherited   namespace declarations it inherits and does not repeat, prefix ("" = default) to URI
     * @param uid         its UID when the session was unmarshalled, else null (then read from the fragment)
     * @param reason      why it is rejected
     */
    record Cut(int startTagEnd, int end, String qName, Map<String, String> inherited, String uid, String reason) { }

    private Fragments() { }

    /** The rejected sessions for {@code cuts}, in their order; the body (after {@code offset}) is in {@code charset}. */
    static List<RejectedSession> cut(byte[] body, int offset, Charset charset, List<Cut> cuts) {
        List<RejectedSession> rejected = new ArrayList<>(cuts.size());
        if (cuts.isEmpty()) {
            return rejected;
        }
        String text = new String(body, offset, body.length - offset, charset);
        for (Cut c : cuts) {
            byte[] fragment = fragment(text, c);
            String written = uidOf(fragment);
            String uid = c.uid() != null ? c.uid() : written;
            rejected.add(new RejectedSession(fragment, blankToNull(uid), c.reason()));
        }
        return rejected;
    }

    private static byte[] fragment(String text, Cut c) {
        String open = "<" + c.qName();
        // the nearest "<name" before the end of its start tag is that tag: '<' cannot occur in attribute values
        int start = text.lastIndexOf(open, c.startTagEnd() - 1);
        if (start < 0 || c.end() > text.length() || c.end() <= start || text.charAt(c.end() - 1) != '>'
                || !endsName(text.charAt(start + open.length()))) {
            throw new MalformedXmlException("cannot locate rejected <" + c.qName() + "> in the body", null);
        }
        StringBuilder xml = new StringBuilder(c.end() - start + 128);
        xml.append(text, start, start + open.length());
        for (Map.Entry<String, String> ns : c.inherited().entrySet()) {
            xml.append(ns.getKey().isEmpty() ? " xmlns" : " xmlns:" + ns.getKey())
                    .append("=\"").append(escapeAttribute(ns.getValue())).append('"');
        }
        xml.append(text, start + open.length(), c.end());
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean endsName(char c) {
        return c == '>' || c == '/' || Character.isWhitespace(c);
    }

    /** The UID attribute of the fragment's root; also proves the cut is a standalone document. */
    private static String uidOf(byte[] fragment) {
        GuardedReader reader = null;
        try {
            reader = EmXml.open(fragment);
            String uid = null;
            while (reader.hasNext()) {
                if (reader.next() == XMLStreamConstants.START_ELEMENT && reader.depth() == 1) {
                    uid = reader.getAttributeValue(null, "UID");
                }
            }
            return uid;
        } catch (XMLStreamException | RuntimeException e) {
            throw new MalformedXmlException("rejected session cut is not a document: " + EmXml.describe(e), e);
        } finally {
            EmXml.close(reader);
        }
    }

    private static String escapeAttribute(String v) {
        return v.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;")
                .replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

package dev.vse.model;

import static dev.vse.model.SessionPages.page;
import static dev.vse.model.SessionPages.resource;
import static dev.vse.model.SessionPages.text;
import static dev.vse.model.SessionPages.uid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link EmXml#readSessions(byte[])}: one bad session is rejected alone, a bad document is refused whole. */
class EmXmlReadSessionsTest {
    private static final String INHERITED_NS = "xmlns(:\\w+)?=\"[^\"]*\" ";

    @Test
    void badDateInSession250Of500_rejectsOnlyThatSession_andReadsThe499Others() {
        byte[] body = page(500, n -> n == 250 ? "yesterday" : SessionPages.GOOD_CREATION);

        SessionPage page = EmXml.readSessions(body);

        assertThat(page.sessions()).hasSize(499).extracting(JobSession::getUid).containsExactlyElementsOf(
                IntStream.rangeClosed(1, 500).filter(n -> n != 250).mapToObj(SessionPages::uid).toList());
        assertThat(page.sessions()).allSatisfy(s -> assertThat(s.backupServerName()).isEqualTo("vbr01.example.local"));
        RejectedSession rejected = page.rejected().get(0);
        assertThat(page.rejected()).hasSize(1);
        assertThat(rejected.uid()).isEqualTo(uid(250));
        assertThat(rejected.reason()).contains("<CreationTimeUTC>").contains("yesterday").doesNotContain("\n");
    }

    @Test
    void rejectedFragment_holdsItsOwnUidAndNoOther_andParsesAloneOnceTheDateIsFixed() {
        byte[] body = page(500, n -> n == 250 ? "yesterday" : SessionPages.GOOD_CREATION);

        String fragment = EmXml.readSessions(body).rejected().get(0).fragmentText();

        assertThat(fragment).contains(uid(250));
        IntStream.rangeClosed(1, 500).filter(n -> n != 250)
                .forEach(n -> assertThat(fragment).doesNotContain(SessionPages.id(n)));
        byte[] fixed = fragment.replace("yesterday", "2025-08-15T20:00:24Z").getBytes(StandardCharsets.UTF_8);
        BackupJobSession alone = EmXml.unmarshal(fixed, BackupJobSession.class);
        assertThat(alone.getUid()).isEqualTo(uid(250));
        assertThat(alone.getJobName()).isEqualTo("Backup Job 250");
        assertThat(alone.getCreationTimeUtc()).isEqualTo(Instant.parse("2025-08-15T20:00:24Z"));
        assertThat(alone.backupServerName()).isEqualTo("vbr01.example.local");
    }

    @Test
    void rejectedFragment_isTheElementsBytesAsSent_plusTheNamespaceDeclarationsItInherits() {
        byte[] body = page(5, n -> n == 3 ? "yesterday" : SessionPages.GOOD_CREATION);

        String fragment = EmXml.readSessions(body).rejected().get(0).fragmentText();

        assertThat(fragment).startsWith("<BackupJobSession xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
                + " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns=\"http://www.veeam.com/ent/v1.0\" Href=");
        assertThat(fragment.replaceAll(INHERITED_NS, "")).isEqualTo(SessionPages.session(3, "yesterday"));
    }

    @Test
    void crlfAndNonAsciiBeforeAndInTheRejectedSession_fragmentIsStillExactlyItsBytes() {
        byte[] body = resource("/model/replica-list-crlf-unicode.xml");

        SessionPage page = EmXml.readSessions(body);

        assertThat(page.pagingInfo()).isNull();
        assertThat(page.sessions()).extracting(JobSession::getJobName).containsExactly("Réplica « Zürich » 🚀", "日本語");
        assertThat(page.sessions()).allSatisfy(s -> assertThat(s).isInstanceOf(ReplicaJobSession.class));
        RejectedSession rejected = page.rejected().get(0);
        assertThat(rejected.uid()).isEqualTo("urn:veeam:ReplicaJobSession:00000000-0000-4000-8000-000000000202");
        byte[] expected = between(body, "<ReplicaJobSession Type=\"ReplicaJobSession\" Name=\"Ünïcödé", "</ReplicaJobSession>");
        assertThat(rejected.fragmentText().replaceAll(INHERITED_NS, "").getBytes(StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(rejected.fragmentText()).contains("\r\n").contains("&amp; &lt;friends&gt; &#233;");
    }

    @Test
    void missingUidStateOrCreationTime_violatesTheModel_andIsRejectedNamingWhatIsMissing() {
        SessionPage page = EmXml.readSessions(resource("/model/page-missing-values.xml"));

        assertThat(page.sessions()).extracting(JobSession::getJobName).containsExactly("First", "Last");
        assertThat(page.rejected()).extracting(RejectedSession::reason).containsExactly(
                "violates the model: missing UID",
                "violates the model: missing State",
                "violates the model: missing CreationTimeUTC",
                "violates the model: missing UID, State, CreationTimeUTC");
        assertThat(page.rejected()).extracting(RejectedSession::uid).containsExactly(null,
                "urn:veeam:BackupJobSession:00000000-0000-4000-8000-000000000003",
                "urn:veeam:BackupJobSession:00000000-0000-4000-8000-000000000004", null);
        assertThat(page.rejected().get(0).fragmentText()).contains("<JobName>No UID</JobName>")
                .doesNotContain("First").doesNotContain("No State");
        assertThat(page.rejected().get(3).fragmentText()).startsWith("<BackupJobSession xmlns:xsi=").endsWith("/>");
    }

    @Test
    void badDateEndDateOrNumber_eachRejected_withTheElementInTheReason() {
        SessionPage page = EmXml.readSessions(resource("/model/page-bad-values.xml"));

        assertThat(page.sessions()).extracting(JobSession::getJobName).containsExactly("Good");
        assertThat(page.sessions().get(0).getProgress()).isEqualTo(50);
        assertThat(page.rejected()).extracting(RejectedSession::uid).containsExactly(
                "urn:veeam:BackupJobSession:00000000-0000-4000-8000-00000000000a",
                "urn:veeam:BackupJobSession:00000000-0000-4000-8000-00000000000b",
                "urn:veeam:BackupJobSession:00000000-0000-4000-8000-00000000000c");
        assertThat(page.rejected().get(0).reason()).contains("<CreationTimeUTC>");
        assertThat(page.rejected().get(1).reason()).contains("<EndTimeUTC>");
        assertThat(page.rejected().get(2).reason()).contains("<Progress>");
        assertThat(page.rejected()).allSatisfy(r -> assertThat(EmXml.readSessions(r.fragment()).rejected()).hasSize(1));
    }

    @Test
    void sessionsWithNoWhitespaceBetweenThem_eachReadOrRejectedOnItsOwn() {
        String s1 = "<BackupJobSession UID=\"urn:veeam:BackupJobSession:1\"><CreationTimeUTC>2025-08-15T20:00:00Z</CreationTimeUTC><State>Stopped</State></BackupJobSession>";
        String s2 = "<BackupJobSession UID=\"urn:veeam:BackupJobSession:2\"><CreationTimeUTC>2025-08-15T20:00:00Z</CreationTimeUTC><State>Stopped</State><Progress>1e3</Progress></BackupJobSession>";
        String s3 = "<BackupJobSession UID=\"urn:veeam:BackupJobSession:3\"><CreationTimeUTC>2025-08-15T20:00:00Z</CreationTimeUTC><State>Working</State></BackupJobSession>";
        byte[] body = ("<BackupJobSessions xmlns=\"http://www.veeam.com/ent/v1.0\">" + s1 + s2 + s3 + "</BackupJobSessions>")
                .getBytes(StandardCharsets.UTF_8);

        SessionPage page = EmXml.readSessions(body);

        assertThat(page.sessions()).extracting(JobSession::getUid)
                .containsExactly("urn:veeam:BackupJobSession:1", "urn:veeam:BackupJobSession:3");
        assertThat(page.rejected()).singleElement().extracting(RejectedSession::fragmentText)
                .isEqualTo(s2.replace("<BackupJobSession ", "<BackupJobSession xmlns=\"http://www.veeam.com/ent/v1.0\" "));
    }

    @Test
    void prefixedNamespace_fragmentDeclaresThePrefixItInherits() {
        SessionPage page = EmXml.readSessions(resource("/model/page-prefixed-namespace.xml"));

        assertThat(page.sessions()).extracting(JobSession::getUid)
                .containsExactly("urn:veeam:BackupJobSession:00000000-0000-4000-8000-000000000301");
        String fragment = page.rejected().get(0).fragmentText();
        assertThat(fragment).startsWith("<v:BackupJobSession xmlns:v=\"http://www.veeam.com/ent/v1.0\"").endsWith("</v:BackupJobSession>");
        byte[] fixed = fragment.replace("soon", "2025-08-15T21:00:00Z").getBytes(StandardCharsets.UTF_8);
        assertThat(EmXml.unmarshal(fixed, BackupJobSession.class).getEndTimeUtc()).isEqualTo(Instant.parse("2025-08-15T21:00:00Z"));
    }

    @Test
    void singleEntityDocument_givesOneSession_orOneRejectedWhoseFragmentIsTheWholeBody() {
        byte[] good = resource("/samples/backupSession-entity.xml");
        assertThat(EmXml.readSessions(good).sessions()).singleElement().extracting(JobSession::getJobName).isEqualTo("Fileserver Backup");

        byte[] bad = text(good).replace("2014-10-19T05:22:52Z", "2014-10-19 5:22 AM").getBytes(StandardCharsets.UTF_8);
        SessionPage page = EmXml.readSessions(bad);

        assertThat(page.sessions()).isEmpty();
        assertThat(page.rejected()).singleElement().satisfies(r -> {
            assertThat(r.uid()).isEqualTo("urn:veeam:BackupJobSession:d46e39e0-1131-4585-91a7-e828ce7eafae");
            assertThat(r.fragmentText()).isEqualTo(text(bad).strip());
        });
    }

    @Test
    void unknownElementsAttributesAndListsAreIgnored_asByUnmarshal() {
        byte[] body = resource("/model/page-unknown-elements.xml");

        SessionPage page = EmXml.readSessions(body);

        assertThat(page.rejected()).isEmpty();
        assertThat(page.sessions()).extracting(JobSession::getUid).containsExactly(
                "urn:veeam:BackupJobSession:00000000-0000-4000-8000-000000000101",
                "urn:veeam:BackupJobSession:00000000-0000-4000-8000-000000000102",
                "urn:veeam:ReplicaJobSession:00000000-0000-4000-8000-000000000103");
        assertThat(page.sessions().get(0).getJobName()).isEqualTo("Nightly <SQL> & logs");
        assertThat(page.sessions().get(0).getState()).isEqualTo("WaitingRepository");
        assertThat(page.pagingInfo().getPagesCount()).isEqualTo(1);
        assertThat(page.sessions()).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(EmXml.unmarshal(body, QueryResult.class).jobSessions());
    }

    @ParameterizedTest
    @ValueSource(strings = {"backupSession-entity.xml", "replicaSession-entity.xml", "query-backupjobsession-entities.xml"})
    void everySampleWithSessions_readsTheSameValuesAsUnmarshal(String sample) {
        byte[] body = resource("/samples/" + sample);
        Object whole = EmXml.unmarshal(body);
        List<JobSession> expected = whole instanceof QueryResult q ? q.jobSessions() : List.of((JobSession) whole);

        SessionPage page = EmXml.readSessions(body);

        assertThat(page.rejected()).isEmpty();
        assertThat(page.sessions()).hasSameSizeAs(expected).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(expected);
        if (whole instanceof QueryResult q) {
            assertThat(page.pagingInfo()).usingRecursiveComparison().isEqualTo(q.getPagingInfo());
        }
    }

    @Test
    void pagingInfo_isCarried() {
        PagingInfo p = EmXml.readSessions(page(3)).pagingInfo();

        assertThat(p.getPageNum()).isEqualTo(1);
        assertThat(p.getPageSize()).isEqualTo(3);
        assertThat(p.getPagesCount()).isEqualTo(7);
        assertThat(p.getLinks().find("Next", null)).get().extracting(Link::getHref).asString()
                .endsWith("&format=Entities&pageSize=3&page=2");
    }

    @Test
    void bom_isAccepted_andFragmentOffsetsStillRight() {
        byte[] body = SessionPages.withBom(page(4, n -> n == 2 ? "not a date" : SessionPages.GOOD_CREATION));

        SessionPage page = EmXml.readSessions(body);

        assertThat(page.sessions()).extracting(JobSession::getUid).containsExactly(uid(1), uid(3), uid(4));
        assertThat(page.rejected().get(0).fragmentText().replaceAll(INHERITED_NS, ""))
                .isEqualTo(SessionPages.session(2, "not a date"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"doctype.xml", "external-entity.xml", "billion-laughs.xml", "undeclared-entity.xml"})
    void hostileDocuments_areRefusedWhole(String fixture) {
        byte[] body = resource("/model/" + fixture);

        assertThatThrownBy(() -> EmXml.readSessions(body)).isInstanceOf(MalformedXmlException.class)
                .hasMessageStartingWith("malformed XML: ");
    }

    @Test
    void doctype_isNamedInTheMessage() {
        assertThatThrownBy(() -> EmXml.readSessions(resource("/model/doctype.xml")))
                .isInstanceOf(MalformedXmlException.class).hasMessageContaining("DTD");
    }

    @Test
    void truncatedInTheMiddleOfSession3_isRefusedWhole_notAHalfPage() {
        byte[] body = page(5);
        int cut = text(body).indexOf("<State>", text(body).indexOf(uid(3)));
        byte[] truncated = Arrays.copyOf(body, cut + 4);

        assertThatThrownBy(() -> EmXml.readSessions(truncated)).isInstanceOf(MalformedXmlException.class);
    }

    @Test
    void truncatedAfterTheLastSession_orGarbageAfterTheRoot_isRefusedWhole() {
        String body = text(page(3));
        byte[] noPaging = body.substring(0, body.indexOf("</BackupJobSessions>")).getBytes(StandardCharsets.UTF_8);
        byte[] trailing = (body + "<QueryResult/>").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> EmXml.readSessions(noPaging)).isInstanceOf(MalformedXmlException.class);
        assertThatThrownBy(() -> EmXml.readSessions(trailing)).isInstanceOf(MalformedXmlException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{\"error\":\"json\"}", "<html><body>502 Bad Gateway", "\u0000\u0001binary"})
    void notXml_isRefusedWhole(String body) {
        assertThatThrownBy(() -> EmXml.readSessions(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedXmlException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"logonSession.xml", "backupSessions-list.xml", "taskSessions.xml", "backupTaskSession-entity.xml"})
    void documentsWithoutJobSessions_haveTheWrongRoot(String sample) {
        assertThatThrownBy(() -> EmXml.readSessions(resource("/samples/" + sample)))
                .isInstanceOf(MalformedXmlException.class).hasMessageContaining("but the document root is <");
    }

    @Test
    void errorDocument_hasTheWrongRoot() {
        byte[] error = ("<Error xmlns=\"http://www.veeam.com/ent/v1.0\" StatusCode=\"500\" Message=\"boom\"/>")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> EmXml.readSessions(error)).isInstanceOf(MalformedXmlException.class)
                .hasMessageContaining("the document root is <Error>");
    }

    @Test
    void unreadablePagingInfo_isRefusedWhole() {
        byte[] body = text(page(2)).replace("PagesCount=\"7\"", "PagesCount=\"seven\"").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> EmXml.readSessions(body)).isInstanceOf(MalformedXmlException.class)
                .hasMessageContaining("PagingInfo");
    }

    @Test
    void theOldWholeDocumentRead_stillFailsOnTheSamePage_soThisIsTheOnlyWayToKeepThe499() {
        byte[] body = page(500, n -> n == 250 ? "yesterday" : SessionPages.GOOD_CREATION);

        assertThatThrownBy(() -> EmXml.unmarshal(body, QueryResult.class)).isInstanceOf(MalformedXmlException.class);
    }

    /** The bytes of {@code body} from the first {@code start} to the end of the next {@code end}. */
    private static byte[] between(byte[] body, String start, String end) {
        String t = text(body);
        int from = t.indexOf(start);
        int to = t.indexOf(end, from) + end.length();
        return t.substring(from, to).getBytes(StandardCharsets.UTF_8);
    }
}

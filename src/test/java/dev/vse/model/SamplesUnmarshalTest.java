package dev.vse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Every file of Veeam's documented samples (src/test/resources/samples) unmarshals with the expected values. */
class SamplesUnmarshalTest {

    static byte[] sample(String name) throws IOException {
        try (InputStream in = SamplesUnmarshalTest.class.getResourceAsStream("/samples/" + name)) {
            assertThat(in).as("sample %s", name).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void backupSessionEntity_hasAllFields() throws IOException {
        BackupJobSession s = EmXml.unmarshal(sample("backupSession-entity.xml"), BackupJobSession.class);
        assertThat(s.getUid()).isEqualTo("urn:veeam:BackupJobSession:d46e39e0-1131-4585-91a7-e828ce7eafae");
        assertThat(s.getName()).isEqualTo("Fileserver Backup@2014-10-19 05:22:52");
        assertThat(s.getHref()).endsWith("/backupSessions/d46e39e0-1131-4585-91a7-e828ce7eafae?format=Entity");
        assertThat(s.getJobUid()).isEqualTo("urn:veeam:Job:4856ab37-2235-45e8-affe-d515878b01a9");
        assertThat(s.getJobName()).isEqualTo("Fileserver Backup");
        assertThat(s.getJobType()).isEqualTo("Backup");
        assertThat(s.getCreationTimeUtc()).isEqualTo(Instant.parse("2014-10-19T05:22:52Z"));
        assertThat(s.getEndTimeUtc()).isEqualTo(Instant.parse("2014-10-19T05:40:48Z"));
        assertThat(s.getState()).isEqualTo("Stopped");
        assertThat(s.getResult()).isEqualTo("Success");
        assertThat(s.getProgress()).isEqualTo(100);
        assertThat(s.getIsRetry()).isFalse();
        assertThat(s.backupServerName()).isEqualTo("srv02.tech.local");
        assertThat(s.getLinks().getLinks()).hasSize(6);
        assertThat(s.getLinks().find("Down", "BackupTaskSessionReferenceList")).get()
                .extracting(Link::getHref).asString().endsWith("/taskSessions");
        assertThat(s.sessionType()).isEqualTo("BackupJobSession");
    }

    @Test
    void backupSessionsList_isFiveReferences() throws IOException {
        EntityReferences refs = EmXml.unmarshal(sample("backupSessions-list.xml"), EntityReferences.class);
        assertThat(refs.getRefs()).hasSize(5);
        Ref first = refs.getRefs().get(0);
        assertThat(first.getType()).isEqualTo("BackupJobSessionReference");
        assertThat(first.getUid()).isEqualTo("urn:veeam:BackupJobSession:d2b8d33e-32b5-43be-9d72-02b5d8b290d0");
        assertThat(first.getName()).isEqualTo("Fileserver Backup@2025-10-19 07:32:44");
        assertThat(first.getLinks().find("Alternate", "BackupJobSession")).get()
                .extracting(Link::getHref).asString().endsWith("?format=Entity");
        assertThat(refs.getRefs()).extracting(Ref::getName).last().isEqualTo("Daily NetApp Snapshots@2025-01-01 18:10:30");
    }

    @Test
    void backupTaskSessionEntity_hasTaskFields() throws IOException {
        BackupTaskSession t = EmXml.unmarshal(sample("backupTaskSession-entity.xml"), BackupTaskSession.class);
        assertThat(t.getUid()).isEqualTo("urn:veeam:BackupTaskSession:88322206-a645-4aa3-9228-028ce51e7c0f");
        assertThat(t.getVmDisplayName()).isEqualTo("AnT_VM2");
        assertThat(t.getJobSessionUid()).isEqualTo("urn:veeam:BackupJobSession:0d3a8230-3db1-4cc1-a7b2-3b0b5c8f784c");
        assertThat(t.getCreationTimeUtc()).isEqualTo(Instant.parse("2025-10-11T20:06:09.627Z"));
        assertThat(t.getEndTimeUtc()).isEqualTo(Instant.parse("2025-10-11T20:07:09.347Z"));
        assertThat(t.getState()).isEqualTo("Completed");
        assertThat(t.getResult()).isEqualTo("Success");
        assertThat(t.getReason()).isEmpty();
        assertThat(t.getTotalSize()).isEqualTo(12884901888L);
        assertThat(t.getVmUid()).isEqualTo("urn:VMware:Vm:a87d15db-dd70-4769-acd6-41bae88219d4.vm-91826");
        assertThat(t.getLinks().getLinks()).extracting(Link::getRel).containsExactly("Up", "Up", "Alternate", "Related");
    }

    @Test
    void logonSession_hasSessionIdAndDeleteLink() throws IOException {
        LogonSession l = EmXml.unmarshal(sample("logonSession.xml"), LogonSession.class);
        assertThat(l.getSessionId()).isEqualTo("15a3fc97-0325-4119-b789-5c0367c6c565");
        assertThat(l.getUserName()).isEqualTo("SRV12\\Administrator");
        assertThat(l.getLinks().find("Delete", null)).get().extracting(Link::getHref).asString()
                .endsWith("/logonSessions/15a3fc97-0325-4119-b789-5c0367c6c565");
        assertThat(l.getLinks().find("Down", "QueryService")).isPresent();
    }

    @Test
    void queryResult_hasEntitiesAndPagingInfo() throws IOException {
        QueryResult q = EmXml.unmarshal(sample("query-backupjobsession-entities.xml"), QueryResult.class);
        assertThat(q.jobSessions()).hasSize(2);
        JobSession copy = q.jobSessions().get(0);
        assertThat(copy.getJobName()).isEqualTo("Periodic Backup Copy Job\\Backup Job 1");
        assertThat(copy.getJobType()).isEqualTo("ImmediateBackupCopyWorker");
        assertThat(copy.getCreationTimeUtc()).isEqualTo(Instant.parse("2025-08-16T05:17:38.22142Z"));
        assertThat(copy.getEndTimeUtc()).isEqualTo(Instant.parse("2025-08-16T05:25:01.879599Z"));
        assertThat(copy.getResult()).isEqualTo("Failed");
        assertThat(copy.getIsRetry()).isTrue();
        assertThat(copy.backupServerName()).isEqualTo("enterprisevbr01.tech.local");
        assertThat(q.jobSessions().get(1).getCreationTimeUtc()).isEqualTo(Instant.parse("2025-08-15T20:00:24.003406Z"));
        PagingInfo p = q.getPagingInfo();
        assertThat(p.getPageNum()).isEqualTo(1);
        assertThat(p.getPageSize()).isEqualTo(100);
        assertThat(p.getPagesCount()).isEqualTo(1);
        // the XML parser unescapes &amp; in links
        assertThat(p.getLinks().find("First", null)).get().extracting(Link::getHref).asString()
                .contains("&format=Entities&").endsWith("&pageSize=100&page=1");
    }

    @Test
    void replicaSessionEntity_isReplicaJobSession() throws IOException {
        ReplicaJobSession r = EmXml.unmarshal(sample("replicaSession-entity.xml"), ReplicaJobSession.class);
        assertThat(r.getUid()).isEqualTo("urn:veeam:ReplicaJobSession:0bcf5a1e-866c-4b40-8bc3-ce64753b9a6b");
        assertThat(r.getJobType()).isEqualTo("Replica");
        assertThat(r.getState()).isEqualTo("Stopped");
        assertThat(r.sessionType()).isEqualTo("ReplicaJobSession");
        // the documented misspelling is carried verbatim
        assertThat(r.getLinks().find("Down", "ReplicaTaskSessionReferenceList")).get()
                .extracting(Link::getHref).asString().endsWith("/repicaTaskSessions");
    }

    @Test
    void taskSessionsList_isOneReference() throws IOException {
        EntityReferences refs = EmXml.unmarshal(sample("taskSessions.xml"), EntityReferences.class);
        assertThat(refs.getRefs()).singleElement().extracting(Ref::getType).isEqualTo("BackupTaskSessionReference");
    }

    @Test
    void unknownElementsAndAttributes_areIgnored_andOpenValuesKept() {
        String xml = "<BackupJobSession xmlns=\"http://www.veeam.com/ent/v1.0\" UID=\"urn:veeam:BackupJobSession:1\" Future=\"x\">"
                + "<NewThing><Deep>1</Deep></NewThing><JobName>J</JobName><CreationTimeUTC>2025-01-01T00:00:00.1234567Z</CreationTimeUTC>"
                + "<State>WaitingRepository</State><Result>None</Result></BackupJobSession>";
        BackupJobSession s = EmXml.unmarshal(xml.getBytes(StandardCharsets.UTF_8), BackupJobSession.class);
        assertThat(s.getState()).isEqualTo("WaitingRepository");
        assertThat(s.getResult()).isEqualTo("None");
        assertThat(s.getEndTimeUtc()).isNull();
        assertThat(s.getCreationTimeUtc()).isEqualTo(Instant.parse("2025-01-01T00:00:00.1234567Z"));
        assertThat(s.getJobName()).isEqualTo("J");
    }

    @Test
    void timestampsWithoutZone_areUtc_andZeroToSevenFractionDigitsParse() {
        assertThat(UtcInstantAdapter.parse("2026-06-14T21:07:25")).isEqualTo(Instant.parse("2026-06-14T21:07:25Z"));
        assertThat(UtcInstantAdapter.parse("2025-01-01T05:47:39.7Z")).isEqualTo(Instant.parse("2025-01-01T05:47:39.700Z"));
        assertThat(UtcInstantAdapter.parse("2025-01-01T05:47:39.1234567Z")).isEqualTo(Instant.parse("2025-01-01T05:47:39.1234567Z"));
        assertThat(UtcInstantAdapter.parse(" ")).isNull();
    }

    @Test
    void bomBeforeBody_isTolerated() throws IOException {
        byte[] body = sample("backupSession-entity.xml");
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        assertThat(EmXml.unmarshal(withBom, BackupJobSession.class).getJobName()).isEqualTo("Fileserver Backup");
    }

    @Test
    void dtdAndExternalEntities_areRefused() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<BackupJobSession xmlns=\"http://www.veeam.com/ent/v1.0\"><JobName>&x;</JobName></BackupJobSession>";
        assertThatThrownBy(() -> EmXml.unmarshal(xxe.getBytes(StandardCharsets.UTF_8), BackupJobSession.class))
                .isInstanceOf(MalformedXmlException.class).hasMessageNotContaining("root:");
        String plainDtd = "<?xml version=\"1.0\"?><!DOCTYPE BackupJobSession>"
                + "<BackupJobSession xmlns=\"http://www.veeam.com/ent/v1.0\"><JobName>a</JobName></BackupJobSession>";
        assertThatThrownBy(() -> EmXml.unmarshal(plainDtd.getBytes(StandardCharsets.UTF_8), BackupJobSession.class))
                .isInstanceOf(MalformedXmlException.class).hasMessageContaining("DTD");
    }

    @Test
    void truncatedOrWrongRootOrBadValue_isMalformed() throws IOException {
        byte[] body = sample("query-backupjobsession-entities.xml");
        byte[] truncated = java.util.Arrays.copyOf(body, body.length / 2);
        assertThatThrownBy(() -> EmXml.unmarshal(truncated, QueryResult.class)).isInstanceOf(MalformedXmlException.class);
        assertThatThrownBy(() -> EmXml.unmarshal(body, BackupJobSession.class))
                .isInstanceOf(MalformedXmlException.class).hasMessageContaining("expected <BackupJobSession>");
        String badTime = "<BackupJobSession xmlns=\"http://www.veeam.com/ent/v1.0\"><CreationTimeUTC>yesterday</CreationTimeUTC></BackupJobSession>";
        assertThatThrownBy(() -> EmXml.unmarshal(badTime.getBytes(StandardCharsets.UTF_8), BackupJobSession.class))
                .isInstanceOf(MalformedXmlException.class);
        assertThatThrownBy(() -> EmXml.unmarshal(new byte[0], QueryResult.class)).isInstanceOf(MalformedXmlException.class);
    }

    @Test
    void marshalledSession_roundTrips() throws IOException {
        BackupJobSession s = EmXml.unmarshal(sample("backupSession-entity.xml"), BackupJobSession.class);
        byte[] out = EmXml.marshal(s);
        assertThat(new String(out, StandardCharsets.UTF_8)).contains("xmlns=\"http://www.veeam.com/ent/v1.0\"");
        BackupJobSession back = EmXml.unmarshal(out, BackupJobSession.class);
        assertThat(back.getEndTimeUtc()).isEqualTo(s.getEndTimeUtc());
        assertThat(back.backupServerName()).isEqualTo("srv02.tech.local");
    }
}

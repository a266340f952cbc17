package dev.vse.model;

import static dev.vse.model.SessionPages.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Job entities (retry policy), replica task sessions and the {@link TaskSession} view, read through {@link EmXml}:
 * the {@code job-entity.xml} fixture, the documented shapes of agent and file share jobs, and the samples.
 */
class JobAndTaskEntitiesTest {
    private static final String NS = "xmlns=\"http://www.veeam.com/ent/v1.0\"";

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void jobEntityFixture_hasRetryOptionsUnderStandart_andJobFields() {
        JobEntity job = EmXml.unmarshal(resource("/model/job-entity.xml"), JobEntity.class);

        assertThat(job).isInstanceOf(Job.class);
        assertThat(job.getUid()).isEqualTo("urn:veeam:Job:7b1d5f2e-3c4a-4e8b-9f60-2a8d1c3e5b71");
        assertThat(job.getName()).isEqualTo("SQL Nightly");
        assertThat(job.getType()).isEqualTo("Job");
        assertThat(job.getHref()).endsWith("/jobs/7b1d5f2e-3c4a-4e8b-9f60-2a8d1c3e5b71?format=Entity");
        assertThat(job.getJobType()).isEqualTo("Backup");
        assertThat(job.getPlatform()).isEqualTo("VMware");
        assertThat(job.getScheduleEnabled()).isTrue();
        assertThat(job.getNextRun()).isEqualTo(Instant.parse("2025-08-16T22:00:00Z"));
        assertThat(job.getLinks().find("Down", "BackupJobSessionReferenceList")).isPresent();
        RetryOptions retry = job.getRetryOptions();
        assertThat(retry.getRetryTimes()).isEqualTo(2);
        assertThat(retry.getRetryTimeout()).isEqualTo(15);
        assertThat(retry.getRetrySpecified()).isTrue();
    }

    @Test
    void agentAndNasJobs_haveTheirOwnRoots_andTheSameRetryOptions() {
        String agent = "<AgentBackupJob " + NS + " Type=\"AgentBackupJob\" UID=\"urn:veeam:AgentBackupJob:a1\" Name=\"Laptops\">"
                + "<JobType>AgentBackup</JobType><JobScheduleOptions><Standart><RetryOptions><RetryTimes>3</RetryTimes>"
                + "<RetryTimeout>10</RetryTimeout><RetrySpecified>false</RetrySpecified></RetryOptions></Standart>"
                + "</JobScheduleOptions></AgentBackupJob>";
        String nas = "<NASJob " + NS + " Type=\"NasJob\" UID=\"urn:veeam:NasJob:n1\" Name=\"Shares\"><Description>d</Description>"
                + "<StorageOptions><ShorttermRetentionPeriod>3</ShorttermRetentionPeriod></StorageOptions><JobScheduleOptions>"
                + "<Standart><RetryOptions><RetrySpecified>true</RetrySpecified><RetryTimeout>5</RetryTimeout>"
                + "<RetryTimes>1</RetryTimes></RetryOptions></Standart></JobScheduleOptions></NASJob>";

        JobEntity a = EmXml.unmarshal(utf8(agent), JobEntity.class);
        JobEntity n = EmXml.unmarshal(utf8(nas), JobEntity.class);

        assertThat(a).isInstanceOf(AgentBackupJob.class);
        assertThat(a.getJobType()).isEqualTo("AgentBackup");
        assertThat(a.getRetryOptions().getRetrySpecified()).isFalse();
        assertThat(a.getRetryOptions().getRetryTimes()).isEqualTo(3);
        assertThat(n).isInstanceOf(NasJob.class);
        assertThat(n.getJobType()).isNull();
        assertThat(n.getRetryOptions().getRetryTimes()).isEqualTo(1);
        assertThat(n.getRetryOptions().getRetryTimeout()).isEqualTo(5);
    }

    @Test
    void retryOptionsDirectlyUnderJobScheduleOptions_orNone() {
        String direct = "<Job " + NS + "><JobScheduleOptions><RetryOptions><RetryTimes>4</RetryTimes></RetryOptions>"
                + "</JobScheduleOptions></Job>";
        String continuous = "<Job " + NS + "><JobType>ImmediateBackupCopy</JobType><JobScheduleOptions><ImmediateCopyMode>"
                + "<OptionsContinuous Enabled=\"true\"/></ImmediateCopyMode></JobScheduleOptions></Job>";

        assertThat(EmXml.unmarshal(utf8(direct), JobEntity.class).getRetryOptions().getRetryTimes()).isEqualTo(4);
        assertThat(EmXml.unmarshal(utf8(continuous), JobEntity.class).getRetryOptions()).isNull();
        assertThat(EmXml.unmarshal(utf8("<Job " + NS + "/>"), JobEntity.class).getRetryOptions()).isNull();
    }

    @Test
    void jobEntityWithDoctype_isRefused() {
        String dtd = "<?xml version=\"1.0\"?><!DOCTYPE Job><Job " + NS + "><JobType>Backup</JobType></Job>";
        assertThatThrownBy(() -> EmXml.unmarshal(utf8(dtd), JobEntity.class))
                .isInstanceOf(MalformedXmlException.class).hasMessageContaining("DTD");
        assertThatThrownBy(() -> EmXml.unmarshal(resource("/model/job-entity.xml"), TaskSession.class))
                .isInstanceOf(MalformedXmlException.class);
    }

    @Test
    void replicaTaskSession_isATaskSession_withoutVmDisplayNameWhenAbsent() {
        String xml = "<ReplicaTaskSession " + NS + " Type=\"ReplicaTaskSession\" Name=\"srv04@2025-10-19 06:47:21\""
                + " UID=\"urn:veeam:ReplicaTaskSession:24\"><JobSessionUid>urn:veeam:ReplicaJobSession:0b</JobSessionUid>"
                + "<CreationTimeUTC>2025-10-19T06:47:21Z</CreationTimeUTC><EndTimeUTC>2025-10-19T07:02:33Z</EndTimeUTC>"
                + "<State>Completed</State><Result>Failed</Result><Reason>Error: Replica disk is locked.</Reason>"
                + "<TotalSize>64424509440</TotalSize></ReplicaTaskSession>";

        TaskSession t = EmXml.unmarshal(utf8(xml), TaskSession.class);

        assertThat(t).isInstanceOf(ReplicaTaskSession.class);
        assertThat(t.getName()).isEqualTo("srv04@2025-10-19 06:47:21");
        assertThat(t.getVmDisplayName()).isNull();
        assertThat(t.getJobSessionUid()).isEqualTo("urn:veeam:ReplicaJobSession:0b");
        assertThat(t.getCreationTimeUtc()).isEqualTo(Instant.parse("2025-10-19T06:47:21Z"));
        assertThat(t.getEndTimeUtc()).isEqualTo(Instant.parse("2025-10-19T07:02:33Z"));
        assertThat(t.getState()).isEqualTo("Completed");
        assertThat(t.getResult()).isEqualTo("Failed");
        assertThat(t.getReason()).isEqualTo("Error: Replica disk is locked.");
        assertThat(t.getTotalSize()).isEqualTo(64424509440L);
        ReplicaTaskSessions list = EmXml.unmarshal(utf8("<ReplicaTaskSessions " + NS + ">" + xml.replace(" " + NS, "")
                + "</ReplicaTaskSessions>"), ReplicaTaskSessions.class);
        assertThat(list.getSessions()).singleElement().extracting(TaskSession::getUid).isEqualTo("urn:veeam:ReplicaTaskSession:24");
    }

    @Test
    void backupTaskSampleAndSessionSamples_throughTheCommonViews() throws IOException {
        TaskSession t = EmXml.unmarshal(SamplesUnmarshalTest.sample("backupTaskSession-entity.xml"), TaskSession.class);
        assertThat(t).isInstanceOf(BackupTaskSession.class);
        assertThat(t.getVmDisplayName()).isEqualTo("AnT_VM2");
        assertThat(t.getReason()).isEmpty();
        assertThat(((BackupTaskSession) t).getVmUid()).endsWith(".vm-91826");

        JobSession backup = EmXml.unmarshal(SamplesUnmarshalTest.sample("backupSession-entity.xml"), JobSession.class);
        assertThat(backup.jobHref()).endsWith("/jobs/4856ab37-2235-45e8-affe-d515878b01a9");
        JobSession replica = EmXml.unmarshal(SamplesUnmarshalTest.sample("replicaSession-entity.xml"), JobSession.class);
        assertThat(replica.jobHref()).endsWith("/jobs/2c49a44e-1e59-4527-a6bc-6b2f9b579ee1");
        assertThat(new BackupJobSession().jobHref()).isNull();
    }
}

package dev.vse.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.model.EmXml;
import dev.vse.model.QueryResult;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The test hooks used by the fault-injection tests: exact bodies, positioning, unknown elements, counters. */
class FaultHooksTest {
    private EmSimulator sim;
    private SimHttp http;

    @BeforeEach
    void start() throws Exception {
        sim = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"));
        for (int i = 0; i < 5; i++) {
            sim.estate().put(SimHttp.session(new UUID(0, i + 1).toString(), "Job", "Stopped", "Success",
                    Instant.now().minusSeconds(100 - i)));
        }
        http = new SimHttp(sim).logon();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void givenPassThenBodyNext_whenRequesting_thenSecondRequestGetsExactlyThoseBytes_thenNormal() {
        // guards: a test that wants page 2 (not page 1) to be broken must be able to position the fault
        byte[] exact = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '<', 'x', 0, (byte) 0xFF};
        sim.faults().bom(true).passNext(1).bodyNext(exact, 1);
        assertThat(http.get("/query?type=BackupJobSession&format=Entities").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> r = http.get("/query?type=BackupJobSession&format=Entities");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).as("no BOM added, no mangling").isEqualTo(exact);
        assertThat(EmXml.unmarshal(http.get("/query?type=BackupJobSession&format=Entities").body(), QueryResult.class)
                .jobSessions()).hasSize(5);
        assertThat(sim.faults().injected()).containsEntry("body", 1L).containsEntry("bom", 2L);
    }

    @Test
    void givenUnknownElements_whenQuerying_thenBodyCarriesThem_andStillParsesToTheSameSessions() {
        sim.faults().unknownElements(true);
        HttpResponse<byte[]> r = http.get("/query?type=BackupJobSession&format=Entities");
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(text).contains("<FutureRootInfo", "FutureAttribute=\"42\"", "<FutureField>");
        QueryResult q = EmXml.unmarshal(r.body(), QueryResult.class);
        assertThat(q.jobSessions()).hasSize(5).allSatisfy(s -> assertThat(s.getState()).isEqualTo("Stopped"));
        assertThat(sim.faults().injected()).containsEntry("unknownElements", 1L);
    }

    @Test
    void givenVariousFaults_whenInjected_thenCountedByKind() {
        sim.faults().failNext(500, 2).failNext(503, 1).malformedNext(1).truncatedNext(1);
        for (int i = 0; i < 6; i++) {
            http.get("/backupSessions");
        }
        assertThat(sim.faults().injected()).containsEntry("500", 2L).containsEntry("503", 1L)
                .containsEntry("malformed", 1L).containsEntry("truncated", 1L).doesNotContainKey("none");
    }
}

package dev.vse.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The member files that decide each instance's share of the EMs. The races are played deterministically: another
 * instance's probe ({@link FileMembers#live()}) runs in the instant between creating a member file and locking it.
 */
class FileMembersTest {
    @TempDir
    Path root;

    @Test
    void givenAProbeInTheInstantBeforeTheLock_whenItTakesTheJoinerForDead_thenTheJoinerIsStillSeenAlive() throws IOException {
        try (FileMembers b = new FileMembers(root, "b")) {
            b.join();
            AtomicBoolean probed = new AtomicBoolean();
            try (FileMembers a = new FileMembers(root, "a", () -> {
                if (probed.compareAndSet(false, true)) {
                    // b finds a's file unlocked, takes the lock, believes a dead and deletes the file
                    assertThat(b.live()).containsExactly("b");
                }
            })) {
                a.join();
                assertThat(probed).isTrue();
                assertThat(Files.exists(root.resolve("members/a" + FileMembers.SUFFIX))).as("a's member file").isTrue();
                assertThat(b.live()).containsExactlyInAnyOrder("b", "a");
                assertThat(a.live()).containsExactlyInAnyOrder("a", "b");
            }
            assertThat(b.live()).containsExactly("b");
        }
    }

    @Test
    void givenAMemberFileRemovedWhileRunning_whenTheOwnerListsTheMembers_thenItRegistersAgainAndIsSeenAlive() throws IOException {
        try (FileMembers a = new FileMembers(root, "a"); FileMembers b = new FileMembers(root, "b")) {
            a.join();
            b.join();
            Files.delete(root.resolve("members/a" + FileMembers.SUFFIX));
            assertThat(b.live()).as("while a's file is gone").containsExactly("b");
            assertThat(a.live()).containsExactlyInAnyOrder("a", "b");
            assertThat(b.live()).as("after a listed the members").containsExactlyInAnyOrder("b", "a");
        }
    }

    @Test
    void givenTheSameInstanceIdTwice_thenTheSecondIsRefused() throws IOException {
        try (FileMembers a = new FileMembers(root, "a"); FileMembers again = new FileMembers(root, "a")) {
            a.join();
            assertThatThrownBy(again::join).isInstanceOf(IOException.class).hasMessageContaining("already runs")
                    .hasMessageContaining("CLUSTER_INSTANCE_ID");
            assertThat(a.live()).containsExactly("a");
        }
    }
}

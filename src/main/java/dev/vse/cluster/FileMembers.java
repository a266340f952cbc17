package dev.vse.cluster;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live instances of a file cluster: each instance holds an exclusive OS lock on
 * {@code <CLUSTER_FILE_ROOT>/members/<instanceId>.member} for as long as it runs. Another instance's file whose
 * lock can be taken belongs to a dead instance (the OS drops the locks of a process that is killed), so it is
 * removed. Only the count of live instances is used: it decides each instance's share of the EMs.
 *
 * <p>Works wherever the file service's own locks work (one host, or a shared volume whose locks are honoured
 * across hosts).
 */
final class FileMembers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileMembers.class);
    static final String SUFFIX = ".member";
    /** Lock attempts before a locked member file counts as another running instance (a probe holds it an instant). */
    private static final int JOIN_ATTEMPTS = 10;

    private final Path dir;
    private final String instanceId;
    private final Path own;
    private FileChannel channel;
    private FileLock lock;
    /** Runs between creating the member file and locking it: a test's way to probe in that instant. */
    private final Runnable afterOpen;

    FileMembers(Path root, String instanceId) {
        this(root, instanceId, () -> { });
    }

    FileMembers(Path root, String instanceId, Runnable afterOpen) {
        this.afterOpen = afterOpen;
        this.dir = root.resolve("members");
        this.instanceId = instanceId;
        this.own = dir.resolve(instanceId + SUFFIX);
    }

    /**
     * Registers this instance: creates and locks its member file. Two races with another instance's
     * {@link #live()} probe are closed here. The probe may take the lock of a file that exists but is not yet locked,
     * believe its owner dead and delete it; the lock taken afterwards would then be on a file nobody can see, so the
     * lock is only kept once the file is still there. The probe also holds the lock for an instant, so a refused
     * lock is tried again a few times before this instance counts as already running.
     */
    synchronized void join() throws IOException {
        Files.createDirectories(dir);
        for (int attempt = 1; ; attempt++) {
            FileChannel c = FileChannel.open(own, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            afterOpen.run();
            FileLock l;
            try {
                l = c.tryLock();
            } catch (OverlappingFileLockException e) {
                c.close();
                throw alreadyRuns();
            }
            if (l != null && Files.exists(own)) {
                channel = c;
                lock = l;
                break;
            }
            c.close(); // refused by a probe, or the file was deleted under us: start over with a fresh file
            if (l == null && attempt >= JOIN_ATTEMPTS) {
                throw alreadyRuns();
            }
            sleep(20L * attempt);
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((instanceId + " pid " + ProcessHandle.current().pid() + " since " + Instant.now() + "\n")
                .getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
    }

    private IOException alreadyRuns() {
        return new IOException("cluster member " + instanceId + " already runs (" + own + " is locked): give each instance its own CLUSTER_INSTANCE_ID");
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while joining the cluster", e);
        }
    }

    /** The ids of the live instances, this one included; files of dead instances are removed on the way. */
    synchronized List<String> live() {
        if (channel != null && !Files.exists(own)) {
            // removed by hand, or by an older instance's probe: without it the others count this instance dead
            LOG.warn("cluster member file {} of this instance is gone; registering again", own);
            close();
            try {
                join();
            } catch (IOException e) {
                LOG.warn("cannot register this instance again in {}: {}", dir, e.toString());
            }
        }
        List<String> live = new ArrayList<>();
        live.add(instanceId);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                String id = f.getFileName().toString();
                id = id.substring(0, id.length() - SUFFIX.length());
                if (id.equals(instanceId)) {
                    continue; // never open our own file a second time: closing it could drop our lock
                }
                if (alive(f)) {
                    live.add(id);
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot list the cluster members in {}: {}", dir, e.toString());
        }
        return live;
    }

    private static boolean alive(Path f) {
        try (FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE)) {
            FileLock l;
            try {
                l = c.tryLock();
            } catch (OverlappingFileLockException e) {
                return true; // held in this JVM (another context): alive
            }
            if (l == null) {
                return true; // held by another process
            }
            try {
                Files.deleteIfExists(f); // its owner is gone
            } finally {
                l.release();
            }
            return false;
        } catch (NoSuchFileException gone) {
            return false;
        } catch (IOException e) {
            return true; // cannot tell: count it, which only makes this instance's share smaller
        }
    }

    /** Leaves the cluster (clean stop): the member file is removed, then unlocked. */
    @Override
    public synchronized void close() {
        if (channel == null) {
            return;
        }
        try {
            Files.deleteIfExists(own);
            if (lock != null && lock.isValid()) {
                lock.release();
            }
            channel.close();
        } catch (IOException e) {
            LOG.debug("cannot remove the member file {}: {}", own, e.toString());
        }
        channel = null;
    }
}

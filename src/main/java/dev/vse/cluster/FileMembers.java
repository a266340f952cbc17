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

    private final Path dir;
    private final String instanceId;
    private final Path own;
    private FileChannel channel;
    private FileLock lock;

    FileMembers(Path root, String instanceId) {
        this.dir = root.resolve("members");
        this.instanceId = instanceId;
        this.own = dir.resolve(instanceId + SUFFIX);
    }

    /** Registers this instance (creates and locks its member file). */
    synchronized void join() throws IOException {
        Files.createDirectories(dir);
        channel = FileChannel.open(own, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("cluster member " + instanceId + " already runs (" + own + " is locked): give each instance its own CLUSTER_INSTANCE_ID");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((instanceId + " pid " + ProcessHandle.current().pid() + " since " + Instant.now() + "\n")
                .getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
    }

    /** The ids of the live instances, this one included; files of dead instances are removed on the way. */
    synchronized List<String> live() {
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

package io.marketbridge.cluster;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** One election on one lock file: tried every retry period; the leader writes its name into the file for the others to read. */
class LockFileView extends ElectionView {

    private static final Logger LOG = Logger.getLogger(LockFileView.class);

    private final LockFileClusterService service;
    private final Path file;
    private ScheduledExecutorService trying;
    private FileChannel channel;
    private FileLock lock;

    LockFileView(LockFileClusterService service, String namespace) {
        super(service, namespace, service.identity);
        this.service = service;
        this.file = service.root.resolve(namespace);
    }

    @Override
    synchronized void elect() throws IOException {
        Files.createDirectories(service.root);
        trying = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "election-" + getNamespace());
            thread.setDaemon(true);
            return thread;
        });
        trying.scheduleWithFixedDelay(this::tryLock, 0, service.retryPeriod.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tryLock() {
        String holder;
        synchronized (this) {
            if (lock != null && lock.isValid() || !isRunAllowed()) {
                return;
            }
            try {
                if (channel == null) {
                    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                }
                lock = tryLock(channel);
                if (lock != null) {
                    channel.truncate(0).write(ByteBuffer.wrap(identity.getBytes(StandardCharsets.UTF_8)), 0);
                    channel.force(false);
                    LOG.infof("%s leads %s (lock file %s)", identity, getNamespace(), file);
                    holder = identity;
                } else {
                    holder = readHolder();
                }
            } catch (IOException e) {
                LOG.warnf(e, "Could not try the lock file %s; trying again in %s", file, service.retryPeriod);
                return;
            }
        }
        changeLeader(holder);
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // another election in this process holds it
        }
    }

    private String readHolder() throws IOException {
        String name = Files.readString(file, StandardCharsets.UTF_8).strip();
        return name.isEmpty() ? null : name;
    }

    @Override
    synchronized void resign() throws IOException {
        if (trying != null) {
            trying.shutdownNow();
        }
        try {
            if (lock != null && lock.isValid()) {
                channel.truncate(0);
                lock.release();
                LOG.infof("%s gave up leading %s", identity, getNamespace());
            }
        } finally {
            lock = null;
            if (channel != null) {
                channel.close();
                channel = null;
            }
        }
    }
}

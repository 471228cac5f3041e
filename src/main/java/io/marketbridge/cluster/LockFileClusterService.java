package io.marketbridge.cluster;

import org.apache.camel.support.cluster.AbstractCamelClusterService;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A Camel cluster service for processes on one machine: each election is a lock file in one folder,
 * held by the leader (the operating system frees it when the process dies, however it dies).
 * Camel's own file-lock service can deadlock when it wins while a route starts (its view holds its
 * lock while telling listeners, who ask it who leads): this one tells them on threads of their own.
 */
public class LockFileClusterService extends AbstractCamelClusterService<LockFileView> {

    final Path root;
    final String identity;
    final Duration retryPeriod;

    public LockFileClusterService(Path root, String identity, Duration retryPeriod) {
        super("lock-file");
        this.root = root;
        this.identity = identity;
        this.retryPeriod = retryPeriod;
    }

    @Override
    protected LockFileView createView(String namespace) {
        return new LockFileView(this, namespace);
    }
}

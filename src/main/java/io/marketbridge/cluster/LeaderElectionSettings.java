package io.marketbridge.cluster;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** How the replicas elect the one that runs the pollers and scheduled jobs. */
@ConfigMapping(prefix = "marketbridge.leader-election")
public interface LeaderElectionSettings {

    enum Mode {
        /** Processes on one machine elect through a lock file (a single process simply wins). */
        FILE,
        /** Pods elect through a coordination.k8s.io Lease. */
        KUBERNETES
    }

    @WithDefault("file")
    Mode mode();

    /**
     * The folder of the lock files. By default one per database under the temporary folder: the
     * processes of one installation (one database) elect one leader, other installations are apart.
     */
    Optional<String> fileRoot();

    /** This replica's name in the election: by default the pod's name (HOSTNAME), else host and process id. */
    Optional<String> identity();

    /** The Lease's namespace: by default the pod's own (from the service account). */
    Optional<String> kubernetesNamespace();

    /** The Lease is named {prefix}-{election}, e.g. marketbridge-pollers. */
    @WithDefault("marketbridge")
    String leasePrefix();

    /** How long a leader that stopped renewing still holds the Lease: the longest gap in polling when a pod dies. */
    @WithDefault("15s")
    Duration leaseDuration();

    /** A leader that cannot renew within this long stops its pollers (before the Lease can expire elsewhere). */
    @WithDefault("10s")
    Duration renewDeadline();

    /** How often a follower tries to acquire, a leader renews, and a file lock is retried. */
    @WithDefault("2s")
    Duration retryPeriod();
}

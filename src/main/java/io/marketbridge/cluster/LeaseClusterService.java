package io.marketbridge.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.apache.camel.support.cluster.AbstractCamelClusterService;

import java.time.Duration;

/**
 * A Camel cluster service on Kubernetes Leases: each election (a {@code master:} namespace) is one
 * {@code coordination.k8s.io} Lease, run by the Kubernetes client's own leader elector. A leader
 * that stops renewing loses the Lease once it expires; one that stops gracefully gives it up at once.
 * Why not camel-kubernetes' cluster service: see docs/decisions.md ("Leader election").
 */
public class LeaseClusterService extends AbstractCamelClusterService<LeaseClusterView> {

    final KubernetesClient client;
    final String leaseNamespace;
    final String leasePrefix;
    final String identity;
    final Duration leaseDuration;
    final Duration renewDeadline;
    final Duration retryPeriod;

    public LeaseClusterService(KubernetesClient client, String leaseNamespace, String leasePrefix, String identity,
            Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
        super("kubernetes-lease");
        this.client = client;
        this.leaseNamespace = leaseNamespace;
        this.leasePrefix = leasePrefix;
        this.identity = identity;
        this.leaseDuration = leaseDuration;
        this.renewDeadline = renewDeadline;
        this.retryPeriod = retryPeriod;
    }

    @Override
    protected LeaseClusterView createView(String namespace) {
        return new LeaseClusterView(this, namespace);
    }
}

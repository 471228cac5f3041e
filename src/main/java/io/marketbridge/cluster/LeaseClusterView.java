package io.marketbridge.cluster;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletableFuture;

/** One election on one Lease, run by the Kubernetes client's leader elector. */
class LeaseClusterView extends ElectionView {

    private static final Logger LOG = Logger.getLogger(LeaseClusterView.class);

    private final LeaseClusterService service;
    private final String leaseName;
    private CompletableFuture<?> election;

    LeaseClusterView(LeaseClusterService service, String namespace) {
        super(service, namespace, service.identity);
        this.service = service;
        this.leaseName = service.leasePrefix + "-" + namespace;
    }

    /** One run of the elector lasts until this replica loses the Lease (or stops); then it competes again. */
    @Override
    synchronized void elect() {
        if (!isRunAllowed()) {
            return;
        }
        CompletableFuture<?> running = service.client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(leaseName)
                .withLock(new LeaseLock(service.leaseNamespace, leaseName, identity))
                .withLeaseDuration(service.leaseDuration)
                .withRenewDeadline(service.renewDeadline)
                .withRetryPeriod(service.retryPeriod)
                .withReleaseOnCancel()
                .withLeaderCallbacks(new LeaderCallbacks(this::tookLeadership, this::lostLeadership, this::observed))
                .build()).build().start();
        election = running;
        running.whenComplete((done, failure) -> {
            if (failure != null && !running.isCancelled()) {
                LOG.warnf(failure, "Election %s ended with an error; competing again", leaseName);
            }
            if (isRunAllowed() && election == running) {
                elect();
            }
        });
    }

    @Override
    synchronized void resign() {
        CompletableFuture<?> running = election;
        election = null;
        if (running != null) {
            running.cancel(true); // the elector gives the Lease up if it holds it
        }
    }

    private void tookLeadership() {
        LOG.infof("%s leads %s (Lease %s/%s)", identity, getNamespace(), service.leaseNamespace, leaseName);
        changeLeader(identity);
    }

    private void lostLeadership() {
        if (leads()) {
            LOG.infof("%s no longer leads %s", identity, getNamespace());
            changeLeader(null);
        }
    }

    private void observed(String holder) {
        changeLeader(holder == null || holder.isEmpty() ? null : holder);
    }
}

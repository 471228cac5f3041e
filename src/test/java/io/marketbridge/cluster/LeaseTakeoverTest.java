package io.marketbridge.cluster;

import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.marketbridge.testsupport.Sandbox;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.component.master.MasterConsumer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The running service on Kubernetes: another pod holds the pollers' Lease, so the service's pollers
 * wait; once that pod stops renewing and the Lease expires, the service takes it and its pollers start.
 */
@QuarkusTest
@TestProfile(LeaseTakeoverTest.OnKubernetes.class)
@WithKubernetesTestServer(crud = true, setup = LeaseTakeoverTest.AnotherPodLeads.class)
class LeaseTakeoverTest {

    static final String LEASE = "marketbridge-pollers";

    public static class OnKubernetes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("marketbridge.leader-election.mode", "kubernetes",
                    "marketbridge.leader-election.identity", "pod-under-test",
                    "marketbridge.leader-election.lease-duration", "3s",
                    "marketbridge.leader-election.renew-deadline", "2s",
                    "marketbridge.leader-election.retry-period", "200ms");
        }
    }

    /** Before the service starts: pod-other holds the Lease, renewed (as far as anyone can tell) far into the future. */
    public static class AnotherPodLeads implements Consumer<KubernetesServer> {
        @Override
        public void accept(KubernetesServer server) {
            ZonedDateTime future = ZonedDateTime.now(ZoneOffset.UTC).plusHours(1);
            server.getClient().leases().inNamespace("test").resource(new LeaseBuilder()
                    .withNewMetadata().withName(LEASE).endMetadata()
                    .withNewSpec().withHolderIdentity("pod-other").withLeaseDurationSeconds(3)
                    .withAcquireTime(future).withRenewTime(future).withLeaseTransitions(0).endSpec()
                    .build()).create();
        }
    }

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    CamelContext camel;

    @Inject
    LeaderElection election;

    private boolean pollerRuns() {
        return ((MasterConsumer) camel.getRoute("ebay-orders-poll").getConsumer()).isMaster();
    }

    @Test
    void thePollersStartOnlyOnceTheOtherPodsLeaseExpired() {
        KubernetesClient client = server.getClient();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> !election.leads() && !pollerRuns());
        JsonPath following = Sandbox.admin("/status");
        assertEquals(false, following.getBoolean("leaderElection.leader"));
        assertEquals("pod-other", following.getString("leaderElection.currentLeader"));
        assertEquals("kubernetes", following.getString("leaderElection.mode"));

        // pod-other renews one last time, then stops (it hangs, or its node is lost)
        ZonedDateTime lastRenewal = ZonedDateTime.now(ZoneOffset.UTC);
        client.leases().inNamespace("test").withName(LEASE).edit(lease -> new LeaseBuilder(lease)
                .editSpec().withRenewTime(lastRenewal).endSpec().build());

        await().atMost(Duration.ofSeconds(8)).until(election::leads);
        Duration takeover = Duration.between(lastRenewal, ZonedDateTime.now(ZoneOffset.UTC));
        assertTrue(takeover.compareTo(Duration.ofSeconds(3)) >= 0, "not before the Lease expired: " + takeover);
        assertEquals("pod-under-test", client.leases().inNamespace("test").withName(LEASE).get().getSpec().getHolderIdentity());
        await().atMost(Duration.ofSeconds(5)).until(this::pollerRuns);
        JsonPath leading = Sandbox.admin("/status");
        assertEquals(true, leading.getBoolean("leaderElection.leader"));
        assertEquals("pod-under-test", leading.getString("leaderElection.currentLeader"));
    }
}

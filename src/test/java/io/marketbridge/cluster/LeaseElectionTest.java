package io.marketbridge.cluster;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replicas electing through one Lease on a Kubernetes API server (fabric8's mock, CRUD mode): of two,
 * one leads and is told so, and gives the Lease up at once when it stops; a holder that stops renewing
 * loses the Lease once it expires, not before.
 */
@EnableKubernetesMockClient(crud = true)
class LeaseElectionTest {

    static KubernetesMockServer server;

    private final List<Replica> replicas = new ArrayList<>();

    /** One replica: its own client, Camel context and cluster service, and whether its listener believes it leads. */
    private final class Replica {
        final String name;
        final KubernetesClient client = server.createClient();
        final DefaultCamelContext camel = new DefaultCamelContext();
        final LeaseClusterService service;
        final AtomicBoolean toldItLeads = new AtomicBoolean();
        CamelClusterView view;

        Replica(String name, Duration leaseDuration) throws Exception {
            this.name = name;
            service = new LeaseClusterService(client, "test", "marketbridge", name, leaseDuration,
                    leaseDuration.multipliedBy(2).dividedBy(3), Duration.ofMillis(200));
            camel.addService(service);
            camel.start();
            view = service.getView(LeaderElection.POLLERS);
            view.addEventListener((CamelClusterEventListener.Leadership) (v, leader) ->
                    toldItLeads.set(v.getLocalMember().isLeader()));
            replicas.add(this);
        }

        boolean leads() {
            return service.isLeader(LeaderElection.POLLERS);
        }
    }

    @AfterEach
    void stopReplicas() {
        for (Replica replica : replicas) {
            replica.camel.stop();
            replica.client.close();
        }
        server.createClient().leases().inNamespace("test").delete();
    }

    private static String holder() {
        Lease lease = server.createClient().leases().inNamespace("test").withName("marketbridge-pollers").get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    @Test
    void aLeaseIsTakenOverOnlyOnceItsHolderStoppedRenewingAndItExpired() throws Exception {
        // another replica led and then froze: its Lease, renewed a moment ago, is never renewed again
        ZonedDateTime renewed = ZonedDateTime.now(ZoneOffset.UTC);
        server.createClient().leases().inNamespace("test").resource(new LeaseBuilder()
                .withNewMetadata().withName("marketbridge-pollers").endMetadata()
                .withNewSpec().withHolderIdentity("pod-frozen").withLeaseDurationSeconds(3)
                .withAcquireTime(renewed).withRenewTime(renewed).withLeaseTransitions(0).endSpec()
                .build()).create();

        Replica replica = new Replica("pod-b", Duration.ofSeconds(3));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> !replica.leads());
        assertEquals("pod-frozen", holder());

        await().atMost(Duration.ofSeconds(5)).until(replica::leads);
        Duration takeover = Duration.between(renewed, ZonedDateTime.now(ZoneOffset.UTC));
        assertTrue(takeover.compareTo(Duration.ofSeconds(3)) >= 0, "not before the Lease expired: " + takeover);
        assertEquals("pod-b", holder());
        await().atMost(Duration.ofSeconds(3)).until(() -> replica.toldItLeads.get());
    }

    @Test
    void oneOfTwoReplicasLeadsAndGivesTheLeaseUpAtOnceWhenItStops() throws Exception {
        Duration leaseDuration = Duration.ofSeconds(30); // a takeover by expiry would take this long
        Replica first = new Replica("pod-a", leaseDuration);
        await().atMost(Duration.ofSeconds(10)).until(first::leads);
        Replica second = new Replica("pod-b", leaseDuration);
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3)).until(() -> !second.leads());

        assertEquals("pod-a", holder());
        await().atMost(Duration.ofSeconds(3)).until(() -> first.toldItLeads.get());
        assertFalse(second.toldItLeads.get());

        first.camel.stop();
        assertFalse(first.leads());
        // listeners are told on a thread of their own (ElectionView), so the news may land just after stop returns
        await().atMost(Duration.ofSeconds(3)).until(() -> !first.toldItLeads.get());
        await().atMost(Duration.ofSeconds(5)).until(second::leads);
        assertEquals("pod-b", holder());
    }
}

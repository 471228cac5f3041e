package io.marketbridge.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every overlay in k8s/ renders with Kustomize and reads as valid Kubernetes objects (no unknown
 * kind, no unknown field), and carries what running several replicas needs.
 */
class ManifestsTest {

    private static List<HasMetadata> render(String overlay) throws IOException, InterruptedException {
        return ManifestCheck.read(Kustomize.build(Path.of("k8s/overlays", overlay)));
    }

    private static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    private static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> kind, String name) {
        return all(objects, kind).stream().filter(o -> o.getMetadata().getName().startsWith(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name));
    }

    @Test
    void everyOverlayIsCheckedHere() throws IOException {
        try (Stream<Path> overlays = Files.list(Path.of("k8s/overlays"))) {
            assertEquals(List.of("development", "edited-routes", "production"),
                    overlays.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"development", "production", "edited-routes"})
    void severalReplicasElectTheirPollerThroughALease(String overlay) throws Exception {
        List<HasMetadata> objects = render(overlay);
        Deployment deployment = one(objects, Deployment.class, "marketbridge");
        assertTrue(deployment.getSpec().getReplicas() >= 2, "replicas");
        assertEquals(0, deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertEquals("marketbridge", pod.getServiceAccountName());

        ConfigMap config = one(objects, ConfigMap.class, "marketbridge-config");
        assertEquals("kubernetes", config.getData().get("MARKETBRIDGE_LEADER_ELECTION_MODE"));
        Container service = pod.getContainers().get(0);
        assertTrue(service.getEnv().stream().anyMatch(e -> e.getName().equals("MARKETBRIDGE_LEADER_ELECTION_IDENTITY")
                && e.getValueFrom().getFieldRef().getFieldPath().equals("metadata.name")), "the pod's name elects");

        // Leases only: read, create, renew
        Role role = one(objects, Role.class, "marketbridge-leader-election");
        for (PolicyRule rule : role.getRules()) {
            assertEquals(List.of("coordination.k8s.io"), rule.getApiGroups());
            assertEquals(List.of("leases"), rule.getResources());
        }
        RoleBinding binding = one(objects, RoleBinding.class, "marketbridge-leader-election");
        assertEquals("marketbridge", binding.getSubjects().get(0).getName());
        assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
        assertEquals(1, one(objects, PodDisruptionBudget.class, "marketbridge").getSpec().getMinAvailable().getIntVal());
    }

    @ParameterizedTest
    @ValueSource(strings = {"development", "production", "edited-routes"})
    void theServiceRunsLockedDownWithProbesAndLimits(String overlay) throws Exception {
        List<HasMetadata> objects = render(overlay);
        PodSpec pod = one(objects, Deployment.class, "marketbridge").getSpec().getTemplate().getSpec();
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        Container service = pod.getContainers().get(0);
        assertTrue(service.getSecurityContext().getReadOnlyRootFilesystem());
        assertFalse(service.getSecurityContext().getAllowPrivilegeEscalation());
        assertNotNull(service.getReadinessProbe().getHttpGet());
        assertNotNull(service.getLivenessProbe().getHttpGet());
        assertNotNull(service.getStartupProbe().getHttpGet());
        assertNotNull(service.getResources().getLimits().get("memory"));
        assertNotNull(service.getResources().getRequests().get("cpu"));
        // Hawtio Online discovers the container port named jolokia
        assertTrue(service.getPorts().stream().anyMatch(p -> p.getName().equals("jolokia") && p.getContainerPort() == 8778));
        assertTrue(one(objects, Service.class, "marketbridge").getSpec().getPorts().stream()
                .anyMatch(p -> p.getName().equals("jolokia")));
    }

    @Test
    void developmentBringsItsDatabaseAndProductionPointsAtAnExternalOne() throws Exception {
        List<HasMetadata> development = render("development");
        StatefulSet postgresql = one(development, StatefulSet.class, "postgresql");
        assertTrue(postgresql.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs().contains("synchronous_commit=on"));
        one(development, Service.class, "postgresql");

        List<HasMetadata> production = render("production");
        assertTrue(all(production, StatefulSet.class).isEmpty(), "no database in production's manifests");
        String url = one(production, ConfigMap.class, "marketbridge-config").getData().get("MARKETBRIDGE_DB_URL");
        assertFalse(url.contains("//postgresql:"), url);
        assertTrue(url.contains("sslmode="), url);
    }

    @Test
    void aTypoInAManifestIsRefused() {
        String typo = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: typo
                spec:
                  replcas: 2
                  template:
                    spec:
                      containers:
                        - name: app
                          image: app
                          readinesProbe: {}
                """;
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ManifestCheck.read(typo));
        assertTrue(refused.getMessage().contains("Deployment/typo.spec: unknown field(s) [replcas]"), refused.getMessage());
        assertTrue(refused.getMessage().contains("readinesProbe"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ManifestCheck.read("apiVersion: v1\nkind: Servce\nmetadata:\n  name: x\n"));
    }
}

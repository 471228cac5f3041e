package io.marketbridge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.testsupport.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's demo, run as the README says (the packaged jar, profile demo, H2 in a data folder):
 * a seller connected through the simulated eBay's consent page stays connected when the demo is
 * stopped and started again, and readiness stays green.
 */
class DemoRestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient NO_REDIRECTS = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final String ADMIN = "Basic " + Base64.getEncoder().encodeToString("admin:demo".getBytes(StandardCharsets.UTF_8));

    @Test
    void aConnectedSellerStaysConnectedAcrossARestart() throws Exception {
        Path data = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "demo");
        Map<String, String> env = Map.of(
                "QUARKUS_PROFILE", "demo",
                "MARKETBRIDGE_DB_URL", "jdbc:h2:file:" + data.resolve("marketbridge-demo") + ";WRITE_DELAY=0",
                "MARKETBRIDGE_ROUTES", "classpath:routes/*.yaml,classpath:sandbox/routes/*.yaml",
                "MARKETBRIDGE_ROUTES_RELOAD", "false",
                "QUARKUS_CAMEL_JOLOKIA_SERVER_PORT", "28791");

        try (ServiceProcess demo = new ServiceProcess("demo", PackagedPeers.SERVICE_PORT, env).start()) {
            awaitReady(demo);
            String consent = redirect(demo, demo.url("/admin/ebay/connect"), true);
            String callback = redirect(demo, consent, false);
            HttpResponse<String> connected = NO_REDIRECTS.send(HttpRequest.newBuilder(URI.create(callback))
                    .header("Authorization", ADMIN).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, connected.statusCode(), connected.body());
            assertEquals("connect", ebayConnection(demo).path("source").asText());
        }

        try (ServiceProcess demo = new ServiceProcess("demo-again", PackagedPeers.SERVICE_PORT, env).start()) {
            awaitReady(demo);
            JsonNode connection = ebayConnection(demo);
            assertTrue(connection.path("connected").asBoolean(), connection.toString());
            assertEquals("connect", connection.path("source").asText(), "the seller connected before the restart");
            JsonNode ebay = connectionCheck(demo, "ebay");
            assertTrue(ebay.path("reachable").asBoolean() && ebay.path("error").isNull(), ebay.toString());
        }
    }

    /** Readiness turns green once the demo has started its routes and reached its peers. */
    private static void awaitReady(ServiceProcess demo) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            HttpResponse<String> ready = demo.get("/q/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
        });
    }

    private static String redirect(ServiceProcess demo, String url, boolean asAdmin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (asAdmin) {
            request.header("Authorization", ADMIN);
        }
        HttpResponse<String> answer = NO_REDIRECTS.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, answer.statusCode(), url + " answered " + answer.body());
        return answer.headers().firstValue("Location").orElseThrow();
    }

    private static JsonNode ebayConnection(ServiceProcess demo) throws Exception {
        return JSON.readTree(demo.send(HttpRequest.newBuilder(URI.create(demo.url("/admin/status"))).header("Authorization", ADMIN))
                .body()).path("ebayConnection");
    }

    private static JsonNode connectionCheck(ServiceProcess demo, String peer) throws Exception {
        JsonNode checks = JSON.readTree(demo.send(HttpRequest.newBuilder(URI.create(demo.url("/admin/connections")))
                .header("Authorization", ADMIN)).body());
        for (JsonNode check : checks.isArray() ? checks : checks.path("peers")) {
            if (peer.equals(check.path("peer").asText())) {
                return check;
            }
        }
        throw new AssertionError("no " + peer + " in " + checks);
    }
}

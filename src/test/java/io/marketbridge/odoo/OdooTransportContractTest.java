package io.marketbridge.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.odoo.OdooConfig.OdooApi;
import io.marketbridge.pipeline.PeerHttp;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.SyncFailure;
import io.marketbridge.pipeline.TransientFailure;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same contract for both transports, against simulated Odoo 16 to 19: what the connector
 * promises (batches, None results, storable products, error classification) holds whichever way
 * it talks to Odoo.
 */
@QuarkusTest
class OdooTransportContractTest {

    @Inject
    PeerHttp http;
    @Inject
    ObjectMapper json;
    @Inject
    OdooConfig config;
    final int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);

    /** transport, Odoo version, and which transport the client must end up using. */
    static Stream<Arguments> transports() {
        return Stream.of(
                Arguments.of(OdooApi.JSONRPC, 16, "jsonrpc"),
                Arguments.of(OdooApi.JSONRPC, 17, "jsonrpc"),
                Arguments.of(OdooApi.JSONRPC, 18, "jsonrpc"),
                Arguments.of(OdooApi.JSONRPC, 19, "jsonrpc"),
                Arguments.of(OdooApi.JSON2, 19, "json2"),
                Arguments.of(OdooApi.AUTO, 17, "jsonrpc"),
                Arguments.of(OdooApi.AUTO, 19, "json2"));
    }

    private String base(int version) {
        return "http://localhost:" + port + "/sandbox/odoo-" + version;
    }

    private OdooClient client(OdooApi api, int version, String secret) {
        return new OdooClient(new OdooSettings(URI.create(base(version)), "sandbox", "marketbridge-bot", secret, true, api,
                Duration.ofSeconds(5)), http, json);
    }

    @AfterEach
    void clearFaults() {
        for (int version : new int[] {16, 17, 18, 19}) {
            given().delete("/sandbox/odoo-" + version + "/_faults").then().statusCode(200);
        }
    }

    @ParameterizedTest(name = "{0} on Odoo {1}")
    @MethodSource("transports")
    void versionAndTransport(OdooApi api, int version, String expectedApi) {
        OdooClient odoo = client(api, version, "sandbox-odoo-key");
        assertEquals(version, odoo.version().major());
        assertEquals(expectedApi, odoo.api());
        odoo.ping();
    }

    @ParameterizedTest(name = "{0} on Odoo {1}")
    @MethodSource("transports")
    void batchCreateSearchReadAndWrite(OdooApi api, int version, String expectedApi) {
        OdooClient odoo = client(api, version, "sandbox-odoo-key");
        String tag = UUID.randomUUID().toString();
        List<Long> ids = odoo.create("product.category", List.of(Map.of("name", "A " + tag), Map.of("name", "B " + tag)), null);
        assertEquals(2, ids.size());

        List<JsonNode> rows = odoo.searchRead("product.category", List.of(List.of("name", "like", tag)), List.of("name"), null, "id asc", null);
        assertEquals(List.of(ids.get(0), ids.get(1)), rows.stream().map(r -> r.get("id").asLong()).toList());

        odoo.write("product.category", List.of(ids.get(1)), Map.of("parent_id", ids.get(0)));
        JsonNode child = odoo.searchRead("product.category", List.of(List.of("id", "=", ids.get(1))), List.of("parent_id"), 1, null, null).get(0);
        assertEquals(ids.get(0).longValue(), child.path("parent_id").path(0).asLong(), "many2one reads as [id, name]");
    }

    @ParameterizedTest(name = "{0} on Odoo {1}")
    @MethodSource("transports")
    void storableProductsOnHandAndNoneResults(OdooApi api, int version, String expectedApi) {
        OdooClient odoo = client(api, version, "sandbox-odoo-key");
        OdooCatalog catalog = new OdooCatalog(odoo, config);
        String sku = "CT-" + UUID.randomUUID();

        OdooCatalog.Product product = catalog.createProduct(Map.of("name", "Contract " + sku, "default_code", sku,
                "list_price", new BigDecimal("12.50"), "categ_id", catalog.category(List.of("All", "Contract", "Leaf"))));
        // action_apply_inventory returns None: JSON-RPC omits "result", JSON-2 answers null
        catalog.setOnHand(product.id(), new BigDecimal("4"));

        OdooCatalog.Product read = catalog.productsBySku(List.of(sku)).get(sku);
        assertEquals(0, new BigDecimal("4").compareTo(read.qtyAvailable()));
        assertEquals(0, new BigDecimal("12.5").compareTo(read.listPrice()));
        JsonNode type = odoo.searchRead("product.template", List.of(List.of("id", "=", product.templateId())),
                version >= 18 ? List.of("type", "is_storable") : List.of("type"), 1, null, null).get(0);
        if (version >= 18) {
            assertEquals("consu", type.get("type").asText());
            assertTrue(type.get("is_storable").asBoolean());
        } else {
            assertEquals("product", type.get("type").asText());
        }
    }

    @ParameterizedTest(name = "{0} on Odoo {1}")
    @MethodSource("transports")
    void errorsAreClassified(OdooApi api, int version, String expectedApi) {
        OdooClient odoo = client(api, version, "sandbox-odoo-key");
        odoo.version();

        SyncFailure badField = assertThrows(PermanentFailure.class,
                () -> odoo.create("product.template", List.of(Map.of("name", "x", "no_such_field", 1)), null));
        assertTrue(badField.getMessage().contains("ValueError"), badField.getMessage());

        fault(version, Map.of("model", "product.category", "method", "create", "error", "odoo.exceptions.ValidationError",
                "message", "invalid category", "times", 1));
        SyncFailure validation = assertThrows(PermanentFailure.class, () -> odoo.createOne("product.category", Map.of("name", "v"), null));
        assertEquals("odoo: ValidationError: invalid category", validation.getMessage());

        fault(version, Map.of("model", "product.category", "method", "create",
                "error", "psycopg2.errors.SerializationFailure", "message", "could not serialize access due to concurrent update", "times", 1));
        assertThrows(TransientFailure.class, () -> odoo.createOne("product.category", Map.of("name", "s"), null));

        fault(version, Map.of("down", true));
        assertThrows(TransientFailure.class, () -> odoo.searchRead("product.category", List.of(), List.of("id"), 1, null, null));
    }

    @ParameterizedTest(name = "{0} on Odoo {1}")
    @MethodSource("transports")
    void badCredentialsArePermanent(OdooApi api, int version, String expectedApi) {
        OdooClient odoo = client(api, version, "wrong-key");
        assertThrows(PermanentFailure.class, () -> odoo.searchRead("res.users", List.of(), List.of("id"), 1, null, null));
    }

    @ParameterizedTest(name = "unreachable Odoo is transient ({0})")
    @MethodSource("transports")
    void unreachableIsTransient(OdooApi api, int version, String expectedApi) {
        OdooClient odoo = new OdooClient(new OdooSettings(URI.create("http://127.0.0.1:1"), "sandbox", "marketbridge-bot",
                "sandbox-odoo-key", true, api, Duration.ofSeconds(2)), http, json);
        assertThrows(TransientFailure.class, () -> odoo.searchRead("res.users", List.of(), List.of("id"), 1, null, null));
    }

    private void fault(int version, Map<String, Object> fault) {
        given().contentType("application/json").body(fault).post("/sandbox/odoo-" + version + "/_faults").then().statusCode(200);
    }
}

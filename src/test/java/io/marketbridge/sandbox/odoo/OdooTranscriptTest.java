package io.marketbridge.sandbox.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulated Odoo held to what real Odoo answered: every call recorded by {@code RealOdooIT}
 * against a real server ({@code src/test/resources/odoo-contract/<major>/}, scenarios in the order
 * they ran) is replayed against a fresh simulator of the same version, which must answer alike:
 * the same error name (and HTTP status on JSON-2) where real Odoo refused, success with a result of
 * the same shape where it accepted. Record ids differ between the two, so ids learnt from answers
 * (a create's result, a row's {@code id}, a many2one's {@code [id, name]}) are mapped per model and
 * translated in the requests that follow.
 * <p>
 * The real database held records before the scenarios ran (demo data, earlier runs); the simulator
 * starts from its own. So: a search that found in real Odoo by name what the simulator lacks makes
 * that record in the simulator from the search's own terms; ids of records only the real database
 * holds are left out of reads; and ids are paired only between answers with the same rows.
 */
class OdooTranscriptTest {

    static final Path CONTRACTS = Path.of("src/test/resources/odoo-contract");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Model methods (no record ids first); every other method is called on records. */
    private static final Set<String> MODEL_METHODS = Set.of("create", "search_read", "search", "search_count", "fields_get");
    private static final Set<String> READS = Set.of("search_read", "search", "read", "search_count");
    private static final Set<String> SEARCHES = Set.of("search_read", "search");
    /**
     * Records the service looks up by name or code and makes when missing (categories, attributes and
     * their values, the shipping product): what the real database held of them can be made alike.
     */
    private static final Set<String> REFERENCE_DATA = Set.of("product.category", "product.attribute", "product.attribute.value",
            "product.product");
    /** Which model a field's ids belong to; {@code parent_id} is the model's own. */
    private static final Map<String, String> RELATIONS = Map.ofEntries(
            Map.entry("product_id", "product.product"), Map.entry("product_variant_ids", "product.product"),
            Map.entry("product_tmpl_id", "product.template"), Map.entry("categ_id", "product.category"),
            Map.entry("partner_id", "res.partner"), Map.entry("partner_shipping_id", "res.partner"),
            Map.entry("partner_invoice_id", "res.partner"), Map.entry("country_id", "res.country"),
            Map.entry("location_id", "stock.location"), Map.entry("location_dest_id", "stock.location"),
            Map.entry("lot_stock_id", "stock.location"), Map.entry("attribute_id", "product.attribute"),
            Map.entry("value_ids", "product.attribute.value"), Map.entry("product_attribute_value_id", "product.attribute.value"),
            Map.entry("attribute_line_ids", "product.template.attribute.line"),
            Map.entry("attribute_line_id", "product.template.attribute.line"),
            Map.entry("product_template_attribute_value_ids", "product.template.attribute.value"),
            Map.entry("order_id", "sale.order"), Map.entry("sale_id", "sale.order"), Map.entry("order_line", "sale.order.line"),
            Map.entry("picking_id", "stock.picking"), Map.entry("picking_ids", "stock.picking"), Map.entry("move_ids", "stock.move"),
            Map.entry("carrier_id", "delivery.carrier"), Map.entry("currency_id", "res.currency"),
            Map.entry("company_id", "res.company"), Map.entry("tax_id", "account.tax"), Map.entry("tax_ids", "account.tax"),
            Map.entry("res_model_id", "ir.model"), Map.entry("activity_type_id", "mail.activity.type"), Map.entry("user_id", "res.users"));

    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "Odoo {0}")
    @ValueSource(ints = {17, 19})
    void theSimulatorAnswersEveryRecordedCallAsRealOdooDid(int version) throws Exception {
        Path dir = CONTRACTS.resolve(String.valueOf(version));
        List<Path> scenarios;
        try (Stream<Path> files = Files.list(dir)) {
            scenarios = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertFalse(scenarios.isEmpty(), "no transcripts recorded for Odoo " + version + " in " + dir);
        Replay replay = new Replay(start(version));
        int calls = 0;
        for (Path scenario : scenarios) {
            for (JsonNode entry : JSON.readTree(scenario.toFile())) {
                replay.check(scenario.getFileName().toString(), entry);
                calls++;
            }
        }
        assertTrue(replay.mismatches.isEmpty(), calls + " calls replayed against the simulated Odoo " + version + ", "
                + replay.mismatches.size() + " answered unlike real Odoo:\n" + String.join("\n", replay.mismatches));
    }

    private static String start(int version) throws Exception {
        Router router = Router.router(vertx);
        new OdooSimulator(new ObjectMapper(), version).mount(router, "/odoo");
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return "http://127.0.0.1:" + server.actualPort() + "/odoo";
    }

    /** One replay: the simulator's base URL, the ids mapped so far, and what did not match. */
    static final class Replay {
        private final String base;
        private final Map<String, Map<Long, Long>> ids = new HashMap<>();
        private boolean json2;
        final List<String> mismatches = new ArrayList<>();

        Replay(String base) {
            this.base = base;
        }

        void check(String scenario, JsonNode entry) throws IOException, InterruptedException {
            String model = entry.path("model").asText();
            String method = entry.path("method").asText();
            String call = scenario + " " + model + "." + method + " " + entry.path("kwargs") + " ";
            json2 = entry.path("transport").asText().equals("json2");
            JsonNode args = translateArgs(model, method, entry.path("args"));
            JsonNode kwargs = translateKwargs(model, method, entry.path("kwargs"));
            Answer answer = call(model, method, args, kwargs);
            if (entry.has("error")) {
                String expected = entry.path("error").asText();
                if (!expected.equals(answer.error)) {
                    mismatches.add(call + "real Odoo refused with " + expected + " (" + entry.path("message").asText()
                            + "), the simulator answered " + (answer.error == null ? answer.result : answer.error + ": " + answer.message));
                } else if (json2 && entry.path("status").asInt() != answer.status) {
                    mismatches.add(call + "real Odoo answered HTTP " + entry.path("status").asInt() + ", the simulator " + answer.status);
                }
                return;
            }
            if (answer.error != null) {
                mismatches.add(call + "real Odoo accepted it, the simulator refused: " + answer.error + ": " + answer.message);
                return;
            }
            JsonNode result = answer.result;
            if (SEARCHES.contains(method) && result.isArray() && entry.path("result").size() > result.size()) {
                result = seedFrom(model, method, kwargs.isObject() && kwargs.has("domain") ? kwargs.get("domain") : args.path(0),
                        entry.path("result"), args, kwargs, result);
            }
            String difference = sameShape(method, entry.path("result"), result, "result");
            if (difference != null) {
                mismatches.add(call + difference);
            }
            learn(model, method, entry.path("result"), result);
        }

        // --- calling the simulator as the recorded call called real Odoo ------------------------

        private record Answer(int status, JsonNode result, String error, String message) {
        }

        /** Over the transport the recorded call used: JSON-2 takes the keyword arguments as its body. */
        private Answer call(String model, String method, JsonNode args, JsonNode kwargs) throws IOException, InterruptedException {
            return json2 ? json2(model, method, kwargs) : jsonRpc(model, method, args, kwargs);
        }

        private Answer jsonRpc(String model, String method, JsonNode args, JsonNode kwargs) throws IOException, InterruptedException {
            ObjectNode params = JsonNodeFactory.instance.objectNode();
            ArrayNode callArgs = JsonNodeFactory.instance.arrayNode();
            if (model.equals("common")) {
                params.put("service", "common").put("method", method);
                if (method.equals("authenticate")) {
                    callArgs.add(SimulatedOdoo.DATABASE).add(SimulatedOdoo.LOGIN).add(SimulatedOdoo.API_KEY).add(args.path(3));
                }
            } else {
                params.put("service", "object").put("method", "execute_kw");
                callArgs.add(SimulatedOdoo.DATABASE).add(SimulatedOdoo.UID).add(SimulatedOdoo.API_KEY).add(model).add(method)
                        .add(args).add(kwargs);
            }
            params.set("args", callArgs);
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("jsonrpc", "2.0").put("method", "call").put("id", 1);
            body.set("params", params);
            HttpResponse<String> response = post(base + "/jsonrpc", body, Map.of());
            JsonNode reply = JSON.readTree(response.body());
            JsonNode error = reply.get("error");
            if (error != null) {
                return new Answer(response.statusCode(), null, error.path("data").path("name").asText(error.path("message").asText()),
                        error.path("data").path("message").asText());
            }
            return new Answer(response.statusCode(), reply.has("result") ? reply.get("result") : JsonNodeFactory.instance.nullNode(),
                    null, null);
        }

        private Answer json2(String model, String method, JsonNode body) throws IOException, InterruptedException {
            HttpResponse<String> response = post(base + "/json/2/" + model + "/" + method, body,
                    Map.of("Authorization", "bearer " + SimulatedOdoo.API_KEY, "X-Odoo-Database", SimulatedOdoo.DATABASE));
            JsonNode reply = response.body().isBlank() ? JsonNodeFactory.instance.nullNode() : JSON.readTree(response.body());
            if (response.statusCode() >= 300) {
                return new Answer(response.statusCode(), null, reply.path("name").asText("HTTP " + response.statusCode()),
                        reply.path("message").asText());
            }
            return new Answer(response.statusCode(), reply, null, null);
        }

        private static HttpResponse<String> post(String url, JsonNode body, Map<String, String> headers)
                throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            headers.forEach(request::header);
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        // --- records only the real database held -----------------------------------------------

        /**
         * Real Odoo found rows the simulator lacks. Where the search named them by equality only
         * ({@code name = X}, {@code parent_id = Y}, {@code name in [...]}) they are records the real
         * database already held: they are made in the simulator from those terms, and the search is
         * asked again. Otherwise the simulator's answer stands.
         */
        private JsonNode seedFrom(String model, String method, JsonNode domain, JsonNode realRows, JsonNode args, JsonNode kwargs,
                                  JsonNode simRows) throws IOException, InterruptedException {
            if (!REFERENCE_DATA.contains(model) || !domain.isArray() || domain.isEmpty()) {
                return simRows;
            }
            ObjectNode terms = JsonNodeFactory.instance.objectNode();
            String listed = null;
            for (JsonNode leaf : domain) {
                if (!leaf.isArray() || leaf.size() != 3) {
                    return simRows;
                }
                String operator = leaf.get(1).asText();
                if (operator.equals("=") && !leaf.get(0).asText().equals("id")) {
                    terms.set(leaf.get(0).asText(), leaf.get(2));
                } else if (operator.equals("in") && listed == null && !leaf.get(0).asText().endsWith("id")) {
                    listed = leaf.get(0).asText();
                } else {
                    return simRows;
                }
            }
            Set<String> found = new TreeSet<>();
            for (JsonNode row : simRows) {
                found.add(row.path(listed == null ? "id" : listed).asText());
            }
            for (JsonNode row : realRows) {
                ObjectNode values = terms.deepCopy();
                if (listed != null) {
                    if (!row.has(listed) || found.contains(row.get(listed).asText())) {
                        continue;
                    }
                    values.set(listed, row.get(listed));
                    if (row.path("name").isTextual() && !values.has("name")) {
                        values.set("name", row.get("name"));
                    }
                } else if (!simRows.isEmpty()) {
                    break;
                }
                ArrayNode records = JsonNodeFactory.instance.arrayNode().add(JsonNodeFactory.instance.arrayNode().add(values));
                Answer made = create(model, records);
                if (made.error != null) {
                    return simRows; // the simulator cannot hold it: its own answer stands
                }
            }
            Answer again = call(model, method, args, kwargs);
            return again.error == null ? again.result : simRows;
        }

        private Answer create(String model, ArrayNode records) throws IOException, InterruptedException {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            if (json2) {
                body.set("vals_list", records.get(0));
            }
            return call(model, "create", records, body);
        }

        // --- real ids to the simulator's --------------------------------------------------------

        private JsonNode translateArgs(String model, String method, JsonNode args) {
            if (!args.isArray() || args.isEmpty() || model.equals("common")) {
                return args;
            }
            ArrayNode copy = args.deepCopy();
            int next = 0;
            if (!MODEL_METHODS.contains(method)) {
                copy.set(0, method.equals("read") ? knownIds(model, args.get(0)) : idsOf(model, args.get(0)));
                next = 1;
            }
            if (copy.size() > next) {
                JsonNode first = copy.get(next);
                switch (method) {
                    case "create" -> copy.set(next, first.isArray() ? valsList(model, first) : vals(model, first));
                    case "write" -> copy.set(next, vals(model, first));
                    case "search_read", "search", "search_count" -> copy.set(next, domain(model, first));
                    default -> {
                    }
                }
            }
            return copy;
        }

        private JsonNode translateKwargs(String model, String method, JsonNode kwargs) {
            if (!kwargs.isObject()) {
                return kwargs;
            }
            ObjectNode copy = kwargs.deepCopy();
            if (copy.has("ids")) {
                copy.set("ids", method.equals("read") ? knownIds(model, copy.get("ids")) : idsOf(model, copy.get("ids")));
            }
            if (copy.has("domain")) {
                copy.set("domain", domain(model, copy.get("domain")));
            }
            if (copy.has("vals")) {
                copy.set("vals", vals(model, copy.get("vals")));
            }
            if (copy.has("vals_list")) {
                JsonNode list = copy.get("vals_list");
                copy.set("vals_list", list.isArray() ? valsList(model, list) : vals(model, list));
            }
            return copy;
        }

        private JsonNode valsList(String model, JsonNode list) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            list.forEach(v -> copy.add(vals(model, v)));
            return copy;
        }

        private JsonNode vals(String model, JsonNode values) {
            if (!values.isObject()) {
                return values;
            }
            ObjectNode copy = values.deepCopy();
            for (Map.Entry<String, JsonNode> field : values.properties()) {
                String relation = field.getKey().equals("res_id") ? values.path("model").asText(null) : relation(model, field.getKey());
                if (relation != null) {
                    copy.set(field.getKey(), relational(relation, field.getValue()));
                }
            }
            return copy;
        }

        /** A many2one id, a list of ids, or x2many commands: (0, 0, vals), (4, id), (6, 0, ids). */
        private JsonNode relational(String relation, JsonNode value) {
            if (value.canConvertToLong()) {
                return JsonNodeFactory.instance.numberNode(simId(relation, value.asLong()));
            }
            if (!value.isArray()) {
                return value;
            }
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            for (JsonNode element : value) {
                if (element.isArray() && element.size() >= 2) {
                    ArrayNode command = element.deepCopy();
                    switch (element.get(0).asInt()) {
                        case 0, 1 -> command.set(2, vals(relation, element.get(2)));
                        case 6 -> command.set(2, idsOf(relation, element.get(2)));
                        default -> command.set(1, JsonNodeFactory.instance.numberNode(simId(relation, element.get(1).asLong())));
                    }
                    copy.add(command);
                } else {
                    copy.add(relational(relation, element));
                }
            }
            return copy;
        }

        private JsonNode domain(String model, JsonNode domain) {
            if (!domain.isArray()) {
                return domain;
            }
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            for (JsonNode leaf : domain) {
                if (leaf.isArray() && leaf.size() == 3) {
                    String field = leaf.get(0).asText();
                    String relation = field.equals("id") ? model : relation(model, field);
                    ArrayNode translated = leaf.deepCopy();
                    if (relation != null && leaf.get(1).asText().equals("in")) {
                        translated.set(2, knownIds(relation, leaf.get(2)));
                    } else if (relation != null && !leaf.get(2).isTextual()) {
                        translated.set(2, relational(relation, leaf.get(2)));
                    }
                    copy.add(translated);
                } else {
                    copy.add(leaf);
                }
            }
            return copy;
        }

        private JsonNode idsOf(String model, JsonNode ids) {
            return relational(model, ids);
        }

        /** Of ids a read asks for, those the simulator was shown: the rest are records only the real database holds. */
        private JsonNode knownIds(String model, JsonNode ids) {
            if (!ids.isArray()) {
                return relational(model, ids);
            }
            ArrayNode known = JsonNodeFactory.instance.arrayNode();
            Map<Long, Long> mapped = this.ids.getOrDefault(model, Map.of());
            for (JsonNode id : ids) {
                if (id.canConvertToLong() && mapped.containsKey(id.asLong())) {
                    known.add(mapped.get(id.asLong()));
                }
            }
            return known;
        }

        private static String relation(String model, String field) {
            return field.equals("parent_id") ? model : RELATIONS.get(field);
        }

        private long simId(String model, long realId) {
            return ids.getOrDefault(model, Map.of()).getOrDefault(realId, realId);
        }

        // --- learning the simulator's ids from what both answered --------------------------------

        private void learn(String model, String method, JsonNode real, JsonNode sim) {
            if (method.equals("create")) {
                pair(model, real, sim);
            } else if ((SEARCHES.contains(method) || method.equals("read")) && real.isArray() && sim.isArray() && real.size() == sim.size()) {
                // rows of this model pair by position only where both found as many (message_post's answer is a message's id)
                for (int i = 0; i < real.size(); i++) {
                    learnRow(model, real.get(i), sim.get(i));
                }
            }
        }

        private void learnRow(String model, JsonNode real, JsonNode sim) {
            if (!real.isObject() || !sim.isObject()) {
                pair(model, real, sim);
                return;
            }
            pair(model, real.path("id"), sim.path("id"));
            real.properties().forEach(field -> {
                String relation = relation(model, field.getKey());
                JsonNode mine = sim.path(field.getKey());
                if (relation == null) {
                    return;
                }
                if (field.getValue().isArray() && field.getValue().size() == 2 && field.getValue().get(1).isTextual()) {
                    pair(relation, field.getValue().get(0), mine.path(0)); // many2one [id, name]
                } else {
                    pair(relation, field.getValue(), mine);
                }
            });
        }

        private void pair(String model, JsonNode real, JsonNode sim) {
            if (real.canConvertToLong() && sim.canConvertToLong() && real.isIntegralNumber()) {
                Map<Long, Long> mapped = ids.computeIfAbsent(model, m -> new HashMap<>());
                if (!mapped.containsKey(real.asLong()) && !mapped.containsValue(sim.asLong())) {
                    mapped.put(real.asLong(), sim.asLong());
                }
            } else if (real.isArray() && sim.isArray()) {
                for (int i = 0; i < Math.min(real.size(), sim.size()); i++) {
                    pair(model, real.get(i), sim.get(i));
                }
            }
        }

        // --- comparing answers ------------------------------------------------------------------

        /**
         * Null when both have the same shape: same JSON type (Odoo's {@code false} stands for any empty
         * value), objects with the same keys (of a {@code fields_get} answer, the fields both know must
         * agree: installed modules differ), arrays judged by their first elements. Reads may find
         * different rows.
         */
        static String sameShape(String method, JsonNode real, JsonNode sim, String where) {
            if (real.isBoolean() && !real.asBoolean() || sim.isBoolean() && !sim.asBoolean()) {
                return real.isBoolean() == sim.isBoolean() || !where.equals("result") ? null
                        : where + ": real Odoo answered " + real + ", the simulator " + sim;
            }
            if (real.isNull() || sim.isNull()) {
                return real.isNull() == sim.isNull() ? null : where + ": real Odoo answered " + real + ", the simulator " + sim;
            }
            if (real.isArray() && sim.isArray()) {
                if (real.isEmpty() || sim.isEmpty()) {
                    return real.isEmpty() == sim.isEmpty() || READS.contains(method) ? null
                            : where + ": real Odoo answered " + real + ", the simulator " + sim;
                }
                return sameShape(method, real.get(0), sim.get(0), where + "[0]");
            }
            if (real.isObject() && sim.isObject()) {
                Set<String> realKeys = new TreeSet<>();
                real.fieldNames().forEachRemaining(realKeys::add);
                Set<String> simKeys = new TreeSet<>();
                sim.fieldNames().forEachRemaining(simKeys::add);
                if (method.equals("fields_get") && where.equals("result")) {
                    simKeys.retainAll(realKeys); // installed modules differ: fields both have must agree
                } else if (!realKeys.equals(simKeys)) {
                    return where + ": real Odoo's keys " + realKeys + ", the simulator's " + simKeys;
                }
                for (String key : simKeys) {
                    String difference = sameShape(method, real.get(key), sim.get(key), where + "." + key);
                    if (difference != null) {
                        return difference;
                    }
                }
                return null;
            }
            boolean same = real.isNumber() && sim.isNumber() || real.isTextual() && sim.isTextual() || real.isBoolean() && sim.isBoolean();
            return same ? null : where + ": real Odoo answered " + real + ", the simulator " + sim;
        }
    }
}

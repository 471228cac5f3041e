package io.marketbridge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The Odoo a benchmark watches for what the service wrote: the simulated one the process serves, or
 * a real server (JSON-RPC for Odoo 17, JSON-2 for 19), called the way any client would.
 */
final class BenchOdoo {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final String url, database, username, key, api;
    private final boolean real;
    private Integer uid;

    private BenchOdoo(String url, String database, String username, String key, String api, boolean real) {
        this.url = url.replaceFirst("/$", "");
        this.database = database;
        this.username = username;
        this.key = key;
        this.api = api;
        this.real = real;
    }

    static BenchOdoo simulated(String url) {
        return new BenchOdoo(url, "sandbox", "admin", "sandbox-odoo-key", "jsonrpc", false);
    }

    static BenchOdoo real(String url, String database, String username, String key, String api) {
        if (database == null || key == null) {
            throw new IllegalArgumentException("a real Odoo needs --odoo-database and --odoo-api-key");
        }
        if (!api.equals("jsonrpc") && !api.equals("json2")) {
            throw new IllegalArgumentException("--odoo-api is jsonrpc or json2, not " + api);
        }
        return new BenchOdoo(url, database, username, key, api, true);
    }

    boolean real() {
        return real;
    }

    /** Points the service at this Odoo (the simulated one needs nothing: the demo profile uses it). */
    void configure(Map<String, String> env) {
        if (real) {
            env.put("MARKETBRIDGE_ODOO_URL", url);
            env.put("MARKETBRIDGE_ODOO_DATABASE", database);
            env.put("MARKETBRIDGE_ODOO_USERNAME", username);
            env.put("MARKETBRIDGE_ODOO_API_KEY", key);
            env.put("MARKETBRIDGE_ODOO_API", api);
        }
    }

    /** Which of these SKUs are products in Odoo now. */
    List<String> productsPresent(List<String> skus) throws Exception {
        List<String> present = new ArrayList<>();
        products(skus).forEach(row -> present.add(row.path("default_code").asText()));
        return present;
    }

    /** The products with these SKUs: SKU, on-hand quantity, sales price and category (id and path). */
    JsonNode products(List<String> skus) throws Exception {
        List<String> fields = List.of("default_code", "qty_available", "list_price", "categ_id");
        List<Object> domain = List.of(List.of("default_code", "in", skus));
        return call("product.product", "search_read", List.of(domain), Map.of("fields", fields), Map.of("domain", domain, "fields", fields));
    }

    /** The reference beside the service's figure: this Odoo's own {@code search_read} and {@code create}, called bare. */
    void bareCreates(int count) throws Exception {
        double[] reads = new double[count], creates = new double[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            productsPresent(List.of("BARE-" + i));
            reads[i] = (System.nanoTime() - start) / 1e6;
            Map<String, Object> vals = Map.of("name", "Benchmark bare create " + System.nanoTime());
            start = System.nanoTime();
            call("product.template", "create", List.of(List.of(vals)), Map.of(), Map.of("vals_list", List.of(vals)));
            creates[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(reads);
        Arrays.sort(creates);
        System.out.printf("%nThis Odoo called bare (%d each): product.product search_read p50 %.0f ms, product.template create p50 %.0f ms"
                + " (p99 %.0f ms)%n", count, reads[count / 2], creates[count / 2], creates[(int) Math.ceil(0.99 * count) - 1]);
    }

    private JsonNode call(String model, String method, List<?> args, Map<String, ?> kwargs, Map<String, ?> json2Body) throws Exception {
        HttpRequest.Builder request;
        if (api.equals("json2")) {
            request = HttpRequest.newBuilder(URI.create(url + "/json/2/" + model + "/" + method))
                    .header("Authorization", "bearer " + key).header("X-Odoo-Database", database)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(json2Body)));
        } else {
            request = HttpRequest.newBuilder(URI.create(url + "/jsonrpc")).POST(HttpRequest.BodyPublishers.ofByteArray(
                    JSON.writeValueAsBytes(rpc("object", "execute_kw", List.of(database, uid(), key, model, method, args, kwargs)))));
        }
        HttpResponse<byte[]> response = HTTP.send(request.header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200 || body.has("error")) {
            throw new IllegalStateException("Odoo " + model + "." + method + " answered " + response.statusCode() + ": " + body);
        }
        return api.equals("json2") ? body : body.path("result");
    }

    private int uid() throws Exception {
        if (uid == null) {
            uid = real ? JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url + "/jsonrpc"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(
                            JSON.writeValueAsBytes(rpc("common", "login", List.of(database, username, key))))).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body()).path("result").asInt() : 2;
        }
        return uid;
    }

    private static Map<String, Object> rpc(String service, String method, List<?> args) {
        return Map.of("jsonrpc", "2.0", "method", "call", "id", 1, "params", Map.of("service", service, "method", method, "args", args));
    }

    @Override
    public String toString() {
        return real ? "real Odoo at " + url + " (" + api + ")" : "simulated Odoo in the same process";
    }
}

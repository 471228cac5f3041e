package io.marketbridge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.testsupport.ServiceProcess;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the benchmark main classes share: their {@code --key=value} options and the packaged jar run with its simulated peers. */
final class Benchmarks {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Benchmarks() {
    }

    /** {@code --key=value} arguments over the defaults; a bare {@code --flag} is "true". */
    static Map<String, String> options(String[] args, Map<String, String> defaults) {
        Map<String, String> options = new HashMap<>(defaults);
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        return options;
    }

    /** A JSON-RPC {@code execute_kw} on the simulated Odoo the process serves; its {@code result}. */
    static JsonNode odoo(ServiceProcess service, String model, String method, List<?> args) throws Exception {
        Map<String, Object> call = Map.of("jsonrpc", "2.0", "method", "call", "id", 1, "params", Map.of("service", "object",
                "method", "execute_kw", "args", List.of("sandbox", 2, "sandbox-odoo-key", model, method, args, Map.of())));
        return JSON.readTree(service.send(HttpRequest.newBuilder(URI.create(service.url("/sandbox/odoo/jsonrpc")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(call))))
                .body()).path("result");
    }

    /** The jar in its demo profile serving the simulated peers (no simulated seller activity), quiet, Jolokia on its own port. */
    static Map<String, String> withSimulatedPeers(int jolokiaPort) {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_PROFILE", "demo");
        env.put("MARKETBRIDGE_ROUTES", "classpath:routes/*.yaml,classpath:sandbox/routes/*.yaml");
        env.put("MARKETBRIDGE_SANDBOX_EBAY_ACTIVITY", "false");
        env.put("QUARKUS_LOG_LEVEL", "WARN");
        env.put("QUARKUS_CAMEL_JOLOKIA_SERVER_PORT", String.valueOf(jolokiaPort));
        return env;
    }
}

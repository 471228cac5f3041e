package io.marketbridge.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.marketbridge.pipeline.PeerHttp;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.TransientFailure;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /jsonrpc} (Odoo 8 to 21): errors arrive with HTTP 200 inside an envelope. Parameters go
 * by name, except the record ids and the records or values of {@code create} and {@code write}, which
 * go positionally: Odoo 16 to 18 insert records passed only as {@code vals_list=}, then fail with
 * {@code IndexError} and roll back (seen on 17).
 */
final class JsonRpcTransport implements OdooTransport {

    private static final Logger LOG = Logger.getLogger(JsonRpcTransport.class);

    /**
     * The parameter that goes positionally after the ids: {@code create}'s records (execute_kw needs them
     * there) and {@code write}'s values, whose name some models' overrides change ({@code values} on
     * product.template.attribute.value in 17, which refuses {@code vals=}).
     */
    private static final Map<String, String> POSITIONAL = Map.of("create", "vals_list", "write", "vals");

    private final OdooSettings settings;
    private final PeerHttp http;
    private final ObjectMapper json;
    private final AtomicLong ids = new AtomicLong();
    private volatile Long uid;

    JsonRpcTransport(OdooSettings settings, PeerHttp http, ObjectMapper json) {
        this.settings = settings;
        this.http = http;
        this.json = json;
    }

    @Override
    public String name() {
        return "jsonrpc";
    }

    @Override
    public JsonNode call(String model, String method, List<Long> recordIds, Map<String, Object> params) {
        Map<String, Object> named = new LinkedHashMap<>(params);
        List<Object> positional = new ArrayList<>();
        if (recordIds != null) {
            positional.add(recordIds);
        }
        String first = POSITIONAL.get(method);
        if (first != null && named.containsKey(first)) {
            positional.add(named.remove(first));
        }
        try {
            return rpc("object", "execute_kw", List.of(settings.database(), uid(), settings.secret(), model, method,
                    positional, named));
        } catch (PermanentFailure e) {
            if (e.getMessage().contains("AccessDenied")) {
                uid = null; // the key may have been rotated: log in again next time
            }
            throw e;
        }
    }

    JsonNode version() {
        return rpc("common", "version", List.of());
    }

    private long uid() {
        Long known = uid;
        if (known != null) {
            return known;
        }
        JsonNode result = rpc("common", "authenticate", List.of(settings.database(), settings.username(), settings.secret(), Map.of()));
        if (!result.canConvertToLong()) {
            // Odoo answers false, not an error, to bad credentials
            throw new PermanentFailure(OdooErrors.PEER, "authentication failed for user '" + settings.username()
                    + "' on database '" + settings.database() + "': check marketbridge.odoo.username and marketbridge.odoo.api-key");
        }
        uid = result.asLong();
        return uid;
    }

    private JsonNode rpc(String service, String method, List<Object> args) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        body.put("method", "call");
        body.put("id", ids.incrementAndGet());
        body.put("params", Map.of("service", service, "method", method, "args", args));
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(settings.endpoint("/jsonrpc"))
                    .timeout(settings.timeout())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                    .build();
        } catch (IOException e) {
            throw new PermanentFailure(OdooErrors.PEER, "cannot encode the call to " + method + ": " + e.getMessage(), e);
        }
        HttpResponse<byte[]> response = http.send(OdooErrors.PEER, request);
        PeerHttp.requireSuccess(OdooErrors.PEER, response, "from /jsonrpc");
        JsonNode reply;
        try {
            reply = json.readTree(response.body());
        } catch (IOException e) {
            throw new TransientFailure(OdooErrors.PEER, "unreadable JSON-RPC reply to " + method, e);
        }
        JsonNode error = reply.get("error");
        if (error != null && !error.isNull()) {
            JsonNode data = error.path("data");
            LOG.debugf("Odoo error on %s: %s", method, data.path("debug").asText());
            if (error.path("code").asInt() == 100) {
                uid = null;
                throw new TransientFailure(OdooErrors.PEER, "session expired", null);
            }
            throw OdooErrors.fromError(data.isObject() ? data : error, response.statusCode());
        }
        // Odoo omits "result" when the method returns None: success with null
        JsonNode result = reply.get("result");
        return result == null ? NullNode.getInstance() : result;
    }
}

package io.marketbridge.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.pipeline.PeerHttp;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.TransientFailure;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Odoo's external API behind one interface, over JSON-RPC (Odoo 16 to 18) or JSON-2 (19+), chosen
 * by configuration or, with {@code api=auto}, from {@code common.version}. Every failure comes out
 * classified as a {@link TransientFailure} or a {@link PermanentFailure}.
 */
public class OdooClient {

    private static final Logger LOG = Logger.getLogger(OdooClient.class);

    private final OdooSettings settings;
    private final PeerHttp http;
    private final ObjectMapper json;
    private final JsonRpcTransport jsonRpc;
    private volatile OdooTransport transport;
    private volatile OdooVersion version;

    public OdooClient(OdooSettings settings, PeerHttp http, ObjectMapper json) {
        this.settings = settings;
        this.http = http;
        this.json = json;
        this.jsonRpc = new JsonRpcTransport(settings, http, json);
    }

    /** The server's version, asked once. */
    public OdooVersion version() {
        OdooVersion known = version;
        if (known == null) {
            JsonNode info = jsonRpc.version();
            int major = info.path("server_version_info").path(0).asInt(0);
            if (major == 0) {
                major = parseMajor(info.path("server_version").asText());
            }
            known = new OdooVersion(major, info.path("server_version").asText("unknown"));
            version = known;
        }
        return known;
    }

    private static int parseMajor(String serverVersion) {
        // "saas~17.2+e" or "17.0-20240101"
        String digits = serverVersion.replaceAll("^[^0-9]*", "").replaceAll("[^0-9].*$", "");
        return digits.isEmpty() ? 0 : Integer.parseInt(digits);
    }

    /** The transport in use: configured, or detected once. */
    public String api() {
        return transport().name();
    }

    private OdooTransport transport() {
        OdooTransport chosen = transport;
        if (chosen == null) {
            chosen = switch (settings.api()) {
                case JSONRPC -> jsonRpc;
                case JSON2 -> new Json2Transport(settings, http, json);
                case AUTO -> detect();
            };
            transport = chosen;
        }
        return chosen;
    }

    private OdooTransport detect() {
        try {
            OdooVersion v = version();
            boolean json2 = v.hasJson2() && settings.secretIsApiKey();
            LOG.infof("Odoo %s detected at %s: using %s", v.serverVersion(), settings.url(), json2 ? "JSON-2" : "JSON-RPC");
            return json2 ? new Json2Transport(settings, http, json) : jsonRpc;
        } catch (PermanentFailure e) {
            if (e.getMessage().contains("HTTP 404") && settings.secretIsApiKey()) {
                LOG.infof("Odoo at %s has no /jsonrpc: using JSON-2", settings.url());
                return new Json2Transport(settings, http, json);
            }
            throw e;
        }
    }

    // --- model methods ---------------------------------------------------------------------

    /** Calls any model method; {@code ids} null for model-level methods. */
    public JsonNode call(String model, String method, List<Long> ids, Map<String, Object> params) {
        return transport().call(model, method, ids, params);
    }

    public List<JsonNode> searchRead(String model, List<?> domain, List<String> fields, Integer limit, String order,
            Map<String, Object> context) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("domain", domain);
        params.put("fields", fields);
        if (limit != null) {
            params.put("limit", limit);
        }
        if (order != null) {
            params.put("order", order);
        }
        if (context != null) {
            params.put("context", context);
        }
        return list(call(model, "search_read", null, params), model + ".search_read");
    }

    /** Creates many records in one call; the ids come back in the same order. */
    public List<Long> create(String model, List<Map<String, Object>> values, Map<String, Object> context) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("vals_list", values);
        if (context != null) {
            params.put("context", context);
        }
        JsonNode result = call(model, "create", null, params);
        List<Long> ids = new ArrayList<>();
        if (result.isArray()) {
            result.forEach(id -> ids.add(id.asLong()));
        } else if (result.canConvertToLong()) {
            ids.add(result.asLong());
        }
        if (ids.size() != values.size()) {
            throw new PermanentFailure(OdooErrors.PEER, model + ".create returned " + result + " for " + values.size() + " record(s)");
        }
        return ids;
    }

    public long createOne(String model, Map<String, Object> values, Map<String, Object> context) {
        return create(model, List.of(values), context).get(0);
    }

    /** Writes the same values to every record given. */
    public void write(String model, List<Long> ids, Map<String, Object> values) {
        call(model, "write", ids, Map.of("vals", values));
    }

    /** Posts a note in a record's chatter. */
    public void postNote(String model, long id, String body) {
        call(model, "message_post", List.of(id), Map.of("body", body, "message_type", "comment",
                "subtype_xmlid", "mail.mt_note"));
    }

    /** Cheap round trip for health and connection checks: version, then a login. */
    public OdooVersion ping() {
        OdooVersion v = version();
        searchRead("res.users", List.of(List.of("login", "=", settings.username())), List.of("id"), 1, null, null);
        return v;
    }

    private static List<JsonNode> list(JsonNode result, String what) {
        if (!result.isArray()) {
            throw new PermanentFailure(OdooErrors.PEER, what + " returned " + abbreviate(result) + " instead of a list");
        }
        List<JsonNode> rows = new ArrayList<>(result.size());
        result.forEach(rows::add);
        return rows;
    }

    static String abbreviate(JsonNode node) {
        String s = String.valueOf(node);
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}

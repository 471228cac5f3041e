package io.marketbridge.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.marketbridge.pipeline.PeerHttp;
import io.marketbridge.pipeline.PermanentFailure;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code POST /json/2/<model>/<method>} (Odoo 19+): bearer API key, bare results, HTTP error statuses. */
final class Json2Transport implements OdooTransport {

    private static final Logger LOG = Logger.getLogger(Json2Transport.class);

    private final OdooSettings settings;
    private final PeerHttp http;
    private final ObjectMapper json;

    Json2Transport(OdooSettings settings, PeerHttp http, ObjectMapper json) {
        this.settings = settings;
        this.http = http;
        this.json = json;
    }

    @Override
    public String name() {
        return "json2";
    }

    @Override
    public JsonNode call(String model, String method, List<Long> ids, Map<String, Object> params) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (ids != null) {
            body.put("ids", ids);
        }
        body.putAll(params);
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(settings.endpoint("/json/2/" + encode(model) + "/" + encode(method)))
                    .timeout(settings.timeout())
                    .header("Content-Type", "application/json")
                    .header("Authorization", "bearer " + settings.secret())
                    .header("X-Odoo-Database", settings.database())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                    .build();
        } catch (IOException e) {
            throw new PermanentFailure(OdooErrors.PEER, "cannot encode the call to " + method + ": " + e.getMessage(), e);
        }
        HttpResponse<byte[]> response = http.send(OdooErrors.PEER, request);
        JsonNode reply = parse(response.body());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return reply == null ? NullNode.getInstance() : reply;
        }
        LOG.debugf("Odoo error on %s.%s: %s", model, method, reply == null ? "" : reply.path("debug").asText());
        if (reply != null && reply.isObject() && reply.has("name")) {
            throw OdooErrors.fromError(reply, status);
        }
        // some builds answer a plain JSON string, or nothing useful at all
        String detail = reply instanceof TextNode text ? text.asText() : model + "." + method;
        throw PeerHttp.failure(OdooErrors.PEER, status, PeerHttp.retryAfter(response).orElse(null), detail);
    }

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return TextNode.valueOf(new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8));
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }
}

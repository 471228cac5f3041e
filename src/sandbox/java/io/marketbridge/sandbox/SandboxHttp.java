package io.marketbridge.sandbox;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.util.Map;

/** How the simulated peers read JSON requests and write JSON answers. */
public final class SandboxHttp {

    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    private SandboxHttp() {
    }

    public static void reply(ObjectMapper json, HttpServerResponse response, int status, Object body) {
        try {
            response.setStatusCode(status).putHeader("Content-Type", "application/json").end(json.writeValueAsString(body));
        } catch (IOException e) {
            response.setStatusCode(500).end(e.getMessage());
        }
    }

    /** The request's JSON object; an empty body reads as an empty object. */
    public static Map<String, Object> readObject(ObjectMapper json, RoutingContext ctx) {
        try {
            return ctx.body().isEmpty() ? Map.of() : json.readValue(ctx.body().buffer().getBytes(), JSON_OBJECT);
        } catch (IOException e) {
            throw new IllegalArgumentException("bad JSON: " + e.getMessage(), e);
        }
    }
}

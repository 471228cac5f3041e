package io.marketbridge.sandbox.odoo;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.pipeline.PeerHttp;
import io.marketbridge.sandbox.odoo.SimulatedOdoo.Fault;
import io.marketbridge.sandbox.SandboxHttp;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Serves {@link SimulatedOdoo} under {@code /sandbox/odoo} as Odoo does: {@code /jsonrpc} with
 * its HTTP-200 error envelope and omitted {@code result}, and {@code /json/2/<model>/<method>}
 * from version 19 on. Tests and the demo can make it fail on demand ({@code /_faults}) and count
 * the calls it received ({@code /_stats}).
 */
final class OdooSimulator {

    private static final Logger LOG = Logger.getLogger(OdooSimulator.class);
    private static final Map<String, List<String>> MODEL_METHOD_PARAMS = Map.of(
            "search_read", List.of("domain", "fields", "offset", "limit", "order"),
            "search", List.of("domain", "offset", "limit", "order"),
            "search_count", List.of("domain"),
            "create", List.of("vals_list"),
            "fields_get", List.of("allfields", "attributes"));
    private static final Map<String, List<String>> RECORD_METHOD_PARAMS = Map.of(
            "read", List.of("fields"),
            "write", List.of("vals"));
    /** Models whose {@code write} override names its parameter {@code values} (seen on 17): the Python class. */
    private static final Map<String, String> WRITE_VALUES_RENAMED = Map.of(
            "product.template.attribute.value", "ProductTemplateAttributeValue");
    private static final Set<String> READS = Set.of("search_read", "search", "search_count", "read", "fields_get");
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    /**
     * A fault armed for matching calls: fail with {@code error}, or (without an error) run the call
     * and hold its reply for {@code replyDelayMillis}, as when Odoo committed but the answer is lost
     * on the way. {@code times} < 0 means until cleared.
     */
    public record FaultRule(String model, String method, String match, String error, String message, long replyDelayMillis,
            AtomicInteger times) {
    }

    private final ObjectMapper json;
    private final SimulatedOdoo odoo;
    private final Optional<Path> callShapeLog;
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final List<FaultRule> rules = new CopyOnWriteArrayList<>();
    private volatile boolean down;
    private volatile long delayMillis;

    OdooSimulator(ObjectMapper json, int version) {
        this(json, version, Optional.empty());
    }

    OdooSimulator(ObjectMapper json, int version, Optional<Path> callShapeLog) {
        this.json = json;
        this.odoo = new SimulatedOdoo(version);
        this.callShapeLog = callShapeLog;
    }

    /** Logs the shape of a call the service sent (it names itself in its User-Agent; tests' own calls do not). */
    private void logShape(RoutingContext ctx, String transport, String model, String method, List<?> positional, Map<?, ?> named) {
        String agent = ctx.request().getHeader("User-Agent");
        if (callShapeLog.isPresent() && agent != null && agent.startsWith(PeerHttp.USER_AGENT_PRODUCT)) {
            OdooCallShapes.log(callShapeLog.get(), OdooCallShapes.shape(transport, model, method, positional, named));
        }
    }

    void mount(Router router, String base) {
        router.route(base + "/*").handler(BodyHandler.create().setBodyLimit(4 * 1024 * 1024));
        router.post(base + "/jsonrpc").handler(ctx -> answer(ctx, () -> jsonRpc(ctx)));
        router.post(base + "/json/2/:model/:method").handler(ctx -> answer(ctx, () -> json2(ctx)));
        router.get(base + "/_stats").handler(ctx -> send(ctx.response(), 200, stats()));
        router.post(base + "/_faults").handler(this::arm);
        router.post(base + "/_catalog").handler(this::seedCatalog);
        router.delete(base + "/_faults").handler(ctx -> {
            clearFaults();
            send(ctx.response(), 200, Map.of("cleared", true));
        });
        LOG.infof("Sandbox Odoo %d serving %s (database '%s', login '%s')", odoo.version(), base,
                SimulatedOdoo.DATABASE, SimulatedOdoo.LOGIN);
    }

    private record Reply(int status, Object body, long delayMillis) {
        Reply(int status, Object body) {
            this(status, body, 0);
        }
    }

    private interface Call {
        Reply run() throws IOException;
    }

    /** Applies the outage and delay faults around any Odoo endpoint. */
    private void answer(RoutingContext ctx, Call call) {
        Runnable respond = () -> {
            if (down) {
                ctx.response().setStatusCode(503).putHeader("Content-Type", "text/html").end("<h1>503 Service Unavailable</h1>");
                return;
            }
            try {
                Reply reply = call.run();
                Runnable write = () -> {
                    if (reply.body() instanceof String html) {
                        ctx.response().setStatusCode(reply.status()).putHeader("Content-Type", "text/html").end(html);
                    } else {
                        send(ctx.response(), reply.status(), reply.body());
                    }
                };
                if (reply.delayMillis() > 0) {
                    ctx.vertx().setTimer(reply.delayMillis(), t -> write.run());
                } else {
                    write.run();
                }
            } catch (IOException | RuntimeException e) {
                ctx.response().setStatusCode(400).putHeader("Content-Type", "text/html").end("<h1>400 Bad Request</h1>" + e.getMessage());
            }
        };
        long delay = delayMillis;
        if (delay > 0) {
            ctx.vertx().setTimer(delay, t -> respond.run());
        } else {
            respond.run();
        }
    }

    // --- JSON-RPC ------------------------------------------------------------------------------

    private Reply jsonRpc(RoutingContext ctx) throws IOException {
        Map<String, Object> request = json.readValue(ctx.body().buffer().getBytes(), JSON_OBJECT);
        Object id = request.get("id");
        Map<String, Object> params = map(request.get("params"));
        String service = String.valueOf(params.get("service"));
        String method = String.valueOf(params.get("method"));
        List<Object> args = list(params.get("args"));
        long[] replyDelay = {0};
        try {
            Object result = switch (service + "." + method) {
                case "common.version" -> odoo.versionInfo();
                case "common.authenticate", "common.login" -> odoo.credentialsOk(str(args, 0), str(args, 1), str(args, 2))
                        ? SimulatedOdoo.UID : false;
                case "object.execute_kw" -> executeKw(ctx, args, replyDelay);
                default -> throw new Fault("builtins.KeyError", "'" + method + "'");
            };
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("jsonrpc", "2.0");
            reply.put("id", id);
            if (!SimulatedOdoo.isNone(result)) {
                reply.put("result", result); // Odoo leaves "result" out when the method returned None
            }
            return new Reply(200, reply, replyDelay[0]);
        } catch (Fault fault) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("name", fault.name);
            data.put("debug", "Traceback (most recent call last):\n  (simulated)\n" + fault.name + ": " + fault.getMessage());
            data.put("message", fault.getMessage());
            data.put("arguments", List.of(fault.getMessage()));
            data.put("context", Map.of());
            return new Reply(200, Map.of("jsonrpc", "2.0", "id", id == null ? 0 : id,
                    "error", Map.of("code", 200, "message", "Odoo Server Error", "data", data)));
        }
    }

    private Object executeKw(RoutingContext ctx, List<Object> args, long[] replyDelay) {
        if (args.size() < 6 || !odoo.credentialsOk(str(args, 0), SimulatedOdoo.LOGIN, str(args, 2))
                || !(args.get(1) instanceof Number uid) || uid.longValue() != SimulatedOdoo.UID) {
            throw new Fault("odoo.exceptions.AccessDenied", "Access Denied");
        }
        String model = str(args, 3);
        String method = str(args, 4);
        List<Object> positional = list(args.get(5));
        Map<String, Object> named = new LinkedHashMap<>(args.size() > 6 ? map(args.get(6)) : Map.of());
        logShape(ctx, "jsonrpc", model, method, positional, named);
        if (method.equals("create") && positional.isEmpty()) {
            // execute_kw reads args[0] after create to pick id or ids; the insert is rolled back (seen on 17 and 19)
            throw new Fault("builtins.IndexError", (odoo.version() < 19 ? "tuple" : "list") + " index out of range");
        }
        String renamed = WRITE_VALUES_RENAMED.get(model);
        if (method.equals("write") && named.containsKey("vals") && renamed != null && odoo.version() < 19) {
            throw new Fault("builtins.TypeError", renamed + ".write() got an unexpected keyword argument 'vals'");
        }
        List<Long> ids = null;
        List<String> names = MODEL_METHOD_PARAMS.get(method);
        if (names == null) {
            // a record method: the first positional argument is the ids
            ids = positional.isEmpty() ? List.of() : ids(positional.get(0));
            positional = positional.isEmpty() ? positional : positional.subList(1, positional.size());
            names = RECORD_METHOD_PARAMS.getOrDefault(method, List.of());
        }
        for (int i = 0; i < positional.size() && i < names.size(); i++) {
            named.putIfAbsent(names.get(i), positional.get(i));
        }
        Object result = call(model, method, ids, named, replyDelay);
        return result instanceof SimulatedOdoo.Records records ? records.overJsonRpc() : result;
    }

    // --- JSON-2 --------------------------------------------------------------------------------

    private Reply json2(RoutingContext ctx) throws IOException {
        if (odoo.version() < 19) {
            return new Reply(404, "<!DOCTYPE html><title>404: Not Found</title><h1>Not Found</h1>");
        }
        String authorization = ctx.request().getHeader("Authorization");
        String database = ctx.request().getHeader("X-Odoo-Database");
        boolean keyOk = authorization != null && authorization.regionMatches(true, 0, "bearer ", 0, 7)
                && SimulatedOdoo.API_KEY.equals(authorization.substring(7).trim());
        if (!keyOk || (database != null && !SimulatedOdoo.DATABASE.equals(database))) {
            return new Reply(401, error(new Fault("odoo.exceptions.AccessDenied", "Access Denied")));
        }
        Map<String, Object> body = new LinkedHashMap<>(json.readValue(ctx.body().buffer().getBytes(), JSON_OBJECT));
        logShape(ctx, "json2", ctx.pathParam("model"), ctx.pathParam("method"), List.of(), body);
        if (!odoo.hasModel(ctx.pathParam("model"))) {
            return new Reply(404, error(new Fault("werkzeug.exceptions.NotFound", "the model '" + ctx.pathParam("model") + "' does not exist")));
        }
        List<Long> ids = body.containsKey("ids") ? ids(body.remove("ids")) : null;
        long[] replyDelay = {0};
        try {
            Object result = call(ctx.pathParam("model"), ctx.pathParam("method"), ids, body, replyDelay);
            if (result instanceof SimulatedOdoo.Records records) {
                result = records.ids();
            }
            return new Reply(200, SimulatedOdoo.isNone(result) ? null : result, replyDelay[0]);
        } catch (Fault fault) {
            return new Reply(json2Status(fault.name), error(fault));
        }
    }

    private static int json2Status(String name) {
        if (name.endsWith("AccessDenied")) {
            return 401;
        }
        if (name.endsWith("AccessError")) {
            return 403;
        }
        if (name.endsWith("MissingError")) {
            return 404;
        }
        if (name.endsWith("UserError") || name.endsWith("ValidationError")) {
            return 422;
        }
        return 500; // anything else escapes the dispatcher (a ValueError for an unknown field, seen on 19)
    }

    private static Map<String, Object> error(Fault fault) {
        return Map.of("name", fault.name, "message", fault.getMessage(), "arguments", List.of(fault.getMessage()),
                "context", Map.of(), "debug", "Traceback (most recent call last):\n  (simulated)");
    }

    // --- the model call, faults and stats --------------------------------------------------------

    private Object call(String model, String method, List<Long> ids, Map<String, Object> params, long[] replyDelay) {
        String text = String.valueOf(params);
        for (FaultRule rule : rules) {
            if ((rule.model() == null || rule.model().equals(model)) && (rule.method() == null || rule.method().equals(method))
                    && (rule.match() == null || text.contains(rule.match())) && rule.times().getAndDecrement() != 0) {
                if (rule.error() != null) {
                    calls.computeIfAbsent(model + "." + method, k -> new LongAdder()).increment();
                    throw new Fault(rule.error(), rule.message());
                }
                replyDelay[0] = Math.max(replyDelay[0], rule.replyDelayMillis());
            }
        }
        Object result = odoo.execute(model, method, ids, params);
        calls.computeIfAbsent(model + "." + method, k -> new LongAdder()).increment();
        return result;
    }

    private Map<String, Object> stats() {
        Map<String, Long> byMethod = new TreeMap<>();
        calls.forEach((k, v) -> byMethod.put(k, v.sum()));
        long writes = byMethod.entrySet().stream()
                .filter(e -> !READS.contains(e.getKey().substring(e.getKey().lastIndexOf('.') + 1)))
                .mapToLong(Map.Entry::getValue).sum();
        return Map.of("version", odoo.version(), "calls", byMethod, "writes", writes, "down", down, "delayMillis", delayMillis);
    }

    /**
     * {@code {"down":true}}, {@code {"delayMillis":3000}}, or a rule
     * {@code {"model","method","match","error","message","replyDelayMillis","times"}}.
     */
    private void arm(RoutingContext ctx) {
        try {
            Map<String, Object> body = json.readValue(ctx.body().buffer().getBytes(), JSON_OBJECT);
            if (body.containsKey("down")) {
                down = Boolean.TRUE.equals(body.get("down"));
            }
            if (body.get("delayMillis") instanceof Number n) {
                delayMillis = n.longValue();
            }
            if (body.containsKey("error") || body.containsKey("replyDelayMillis")) {
                rules.add(new FaultRule((String) body.get("model"), (String) body.get("method"), (String) body.get("match"),
                        (String) body.get("error"), String.valueOf(body.getOrDefault("message", "simulated failure")),
                        body.get("replyDelayMillis") instanceof Number d ? d.longValue() : 0,
                        new AtomicInteger(body.get("times") instanceof Number n ? n.intValue() : -1)));
            }
            send(ctx.response(), 200, stats());
        } catch (IOException | RuntimeException e) {
            send(ctx.response(), 400, Map.of("error", "bad fault request: " + e.getMessage()));
        }
    }

    /** {@code {"templates":N,"variantsPerTemplate":k,"skuPrefix":"..","price":9.5,"quantity":3}}: a big catalog at once. */
    private void seedCatalog(RoutingContext ctx) {
        Map<String, Object> body;
        try {
            body = json.readValue(ctx.body().buffer().getBytes(), JSON_OBJECT);
        } catch (IOException | RuntimeException e) {
            send(ctx.response(), 400, Map.of("error", "the body must be a JSON object: " + e.getMessage()));
            return;
        }
        Object templates = body.get("templates");
        Object perTemplate = body.getOrDefault("variantsPerTemplate", 1);
        Object prefix = body.get("skuPrefix");
        Object price = body.getOrDefault("price", 10);
        Object quantity = body.getOrDefault("quantity", 5);
        String reason = !(templates instanceof Integer n) || n < 1 || n > 1_000_000 ? "templates must be an integer from 1 to 1000000"
                : !(perTemplate instanceof Integer k) || k < 1 || k > 100 ? "variantsPerTemplate must be an integer from 1 to 100"
                : !(prefix instanceof String p) || !p.matches("[A-Za-z0-9_-]{1,40}") ? "skuPrefix must be 1 to 40 of [A-Za-z0-9_-]"
                : !(price instanceof Number pr) || pr.doubleValue() < 0 ? "price must be a number >= 0"
                : !(quantity instanceof Number q) || q.doubleValue() < 0 ? "quantity must be a number >= 0" : null;
        if (reason != null) {
            send(ctx.response(), 400, Map.of("error", reason));
            return;
        }
        // seconds for 100k variants: off the event loop
        ctx.vertx().<Map<String, Object>>executeBlocking(() -> odoo.seedCatalog((Integer) templates, (Integer) perTemplate,
                (String) prefix, ((Number) price).doubleValue(), ((Number) quantity).doubleValue()), false)
                .onComplete(done -> {
                    if (done.succeeded()) {
                        send(ctx.response(), 200, done.result());
                    } else {
                        send(ctx.response(), 500, Map.of("error", String.valueOf(done.cause())));
                    }
                });
    }

    private void clearFaults() {
        rules.clear();
        down = false;
        delayMillis = 0;
    }

    private void send(HttpServerResponse response, int status, Object body) {
        SandboxHttp.reply(json, response, status, body);
    }

    private static List<Long> ids(Object value) {
        List<Long> ids = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(v -> ids.add(((Number) v).longValue()));
        } else if (value instanceof Number n) {
            ids.add(n.longValue());
        }
        return ids;
    }

    private static String str(List<Object> args, int index) {
        return args.size() > index && args.get(index) != null ? String.valueOf(args.get(index)) : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }
}

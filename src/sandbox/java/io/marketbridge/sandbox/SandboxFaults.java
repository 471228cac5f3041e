package io.marketbridge.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Failures on demand in front of a simulated peer's API, so tests and the demo can show how the
 * service copes. {@code POST <base>/_faults} arms a rule, {@code DELETE <base>/_faults} clears them:
 * <pre>
 * {"path":"/sell/fulfillment/v1/order","method":"GET","skip":1,"times":1,"status":429,"errorId":2001}
 * {"delayMillis":12000}                      every call answers 12 s late
 * {"status":503,"times":2}                   the next two calls fail
 * {"down":true}                              connections are closed without an answer
 * </pre>
 * {@code path} is a prefix under the base (default: every path), {@code query} a text its query
 * string must contain (e.g. {@code "offset=5"}: a poll's second page), {@code skip} lets that many
 * matching calls through first, {@code times} bounds how many fail (default: until cleared).
 * {@code body} and {@code headers} give the answer verbatim; otherwise the peer's own error shape is
 * built from {@code status}, {@code errorId} and {@code message}.
 */
public final class SandboxFaults {

    /** A peer's error body for (status, errorId, message). */
    public interface ErrorShape extends Function<Map<String, Object>, Object> {
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final ObjectMapper json;
    private final String base;
    private final ErrorShape errorShape;

    private SandboxFaults(ObjectMapper json, String base, ErrorShape errorShape) {
        this.json = json;
        this.base = base;
        this.errorShape = errorShape;
    }

    /** Puts the fault filter in front of every path under {@code base} and mounts its control endpoint. */
    public static SandboxFaults mount(Router router, ObjectMapper json, String base, ErrorShape errorShape) {
        SandboxFaults faults = new SandboxFaults(json, base, errorShape);
        return faults.install(router);
    }

    private SandboxFaults install(Router router) {
        router.post(base + "/_faults").order(-1001).handler(BodyHandler.create()).handler(this::arm);
        router.delete(base + "/_faults").order(-1001).handler(ctx -> {
            rules.clear();
            SandboxHttp.reply(json, ctx.response(), 200, Map.of("cleared", true));
        });
        router.route(base + "/*").order(-1000).handler(this::filter);
        return this;
    }

    public void clear() {
        rules.clear();
    }

    private void arm(RoutingContext ctx) {
        Map<String, Object> body;
        try {
            body = SandboxHttp.readObject(json, ctx);
        } catch (IllegalArgumentException e) {
            SandboxHttp.reply(json, ctx.response(), 400, Map.of("error", e.getMessage()));
            return;
        }
        Rule rule = new Rule(body);
        rules.add(rule);
        SandboxHttp.reply(json, ctx.response(), 200, Map.of("armed", body, "rules", rules.size()));
    }

    private void filter(RoutingContext ctx) {
        String path = ctx.normalizedPath().substring(base.length());
        if (path.startsWith("/_")) {
            ctx.next(); // the simulator's own controls never fail
            return;
        }
        String query = ctx.request().query() == null ? "" : ctx.request().query();
        Rule rule = rules.stream().filter(r -> r.claims(ctx.request().method().name(), path, query)).findFirst().orElse(null);
        if (rule == null) {
            ctx.next();
            return;
        }
        if (rule.delayMillis > 0) {
            ctx.vertx().setTimer(rule.delayMillis, id -> apply(ctx, rule));
        } else {
            apply(ctx, rule);
        }
    }

    private void apply(RoutingContext ctx, Rule rule) {
        if (rule.down) {
            ctx.request().connection().close();
        } else if (rule.status == 0) {
            ctx.next(); // only slow
        } else {
            rule.headers.forEach((name, value) -> ctx.response().putHeader(String.valueOf(name), String.valueOf(value)));
            SandboxHttp.reply(json, ctx.response(), rule.status, rule.body != null ? rule.body : errorShape.apply(rule.spec));
        }
    }

    /** One armed fault and how many calls it still lets through or fails. */
    private static final class Rule {
        final Map<String, Object> spec;
        final String method;
        final String path;
        final String query;
        final int status;
        final long delayMillis;
        final boolean down;
        final Object body;
        final Map<?, ?> headers;
        final AtomicInteger skip;
        final AtomicInteger times;

        Rule(Map<String, Object> spec) {
            this.spec = spec;
            this.method = spec.get("method") == null ? null : String.valueOf(spec.get("method")).toUpperCase();
            this.path = String.valueOf(spec.getOrDefault("path", ""));
            this.query = String.valueOf(spec.getOrDefault("query", ""));
            this.status = spec.get("status") instanceof Number n ? n.intValue() : 0;
            this.delayMillis = spec.get("delayMillis") instanceof Number n ? n.longValue() : 0;
            this.down = Boolean.TRUE.equals(spec.get("down"));
            this.body = spec.get("body");
            this.headers = spec.get("headers") instanceof Map<?, ?> h ? h : Map.of();
            this.skip = new AtomicInteger(spec.get("skip") instanceof Number n ? n.intValue() : 0);
            this.times = new AtomicInteger(spec.get("times") instanceof Number n ? n.intValue() : -1);
        }

        /** True when this call matches and the rule takes it (after its skips, within its times). */
        boolean claims(String requestMethod, String requestPath, String requestQuery) {
            if ((method != null && !method.equals(requestMethod)) || !requestPath.startsWith(path)
                    || !requestQuery.contains(query)) {
                return false;
            }
            if (skip.get() > 0 && skip.getAndDecrement() > 0) {
                return false;
            }
            return times.get() < 0 || times.getAndUpdate(t -> Math.max(0, t - 1)) > 0;
        }
    }
}

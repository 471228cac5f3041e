package io.marketbridge.sandbox.ebay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.sandbox.SandboxHttp;
import io.marketbridge.sandbox.SandboxSettings;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.parsers.DocumentBuilderFactory;

/**
 * How the simulated eBay is told where to push: the Trading API's Set/GetNotificationPreferences and GetUser at
 * {@code /ws/api.dll} (user token in {@code X-EBAY-API-IAF-TOKEN}, answers with Ack and Errors), and the
 * Commerce Notification API's alert config, destinations (created only after the endpoint answers eBay's
 * challenge) and subscriptions (one per owner and topic; USER-context topics need the seller's token,
 * APPLICATION-context ones the application's). MARKETPLACE_ACCOUNT_DELETION is not a topic here: eBay
 * sets it in the developer portal. State and call counts: {@code GET /sandbox/ebay/_notifications/stats};
 * {@code POST /sandbox/ebay/_notifications/disable {"topicId":...}} disables a topic's subscriptions.
 */
@Singleton
public class SandboxEbayNotificationApi {

    private static final String BASE = "/sandbox/ebay/commerce/notification/v1";
    private static final String EBL = "urn:ebay:apis:eBLBaseComponents";
    /** Topics offered by the simulated Notification API, with their context. */
    private static final Map<String, String> TOPICS = Map.of("ORDER_CONFIRMATION", "USER", "ITEM_MARKED_SHIPPED", "USER",
            "AUTHORIZATION_REVOCATION", "APPLICATION", "ITEM_AVAILABILITY", "USER", "ITEM_PRICE_REVISION", "USER");

    private final SandboxEbayApi api;
    private final SandboxEbaySeller seller;
    private final ObjectMapper json;
    /** HTTP/1.1 as PeerHttp: the JDK's default h2c upgrade attempt on plain http can stall against the local server. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    // Trading: the application's delivery preferences and the seller's event preferences
    private final Map<String, String> applicationPreferences = new ConcurrentHashMap<>();
    private final Map<String, String> userEvents = new ConcurrentHashMap<>();
    // Commerce Notification API
    private volatile String alertEmail;
    private final Map<String, Map<String, Object>> destinations = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> subscriptions = new ConcurrentHashMap<>();

    SandboxEbayNotificationApi(SandboxEbayApi api, SandboxEbaySeller seller, ObjectMapper json) {
        this.api = api;
        this.seller = seller;
        this.json = json;
    }

    void mount(@Observes Router router, SandboxSettings sandbox) {
        if (!sandbox.enabled()) {
            return;
        }
        router.post("/sandbox/ebay/ws/api.dll").handler(BodyHandler.create()).handler(this::trading);
        router.get(BASE + "/config").handler(ctx -> withToken(ctx, () -> reply(ctx, alertEmail == null ? 404 : 200,
                alertEmail == null ? error(195026, "Configuration Not Found.") : Map.of("alertEmail", alertEmail))));
        router.put(BASE + "/config").handler(BodyHandler.create()).handler(ctx -> withToken(ctx, () -> {
            Object email = body(ctx).get("alertEmail");
            if (!(email instanceof String e) || !e.contains("@")) {
                reply(ctx, 400, error(195025, "Invalid or missing email."));
                return;
            }
            alertEmail = e;
            ctx.response().setStatusCode(204).end();
        }));
        router.get(BASE + "/destination").handler(ctx -> withToken(ctx, () -> reply(ctx, 200,
                page(ctx, "destinations", new ArrayList<>(destinations.values())))));
        // unordered: waiting for the endpoint's challenge answer holds up no other simulator call
        router.post(BASE + "/destination").handler(BodyHandler.create()).blockingHandler(ctx -> withToken(ctx, () -> createDestination(ctx)), false);
        router.get(BASE + "/destination/:id").handler(ctx -> withToken(ctx, () -> {
            Map<String, Object> destination = destinations.get(ctx.pathParam("id"));
            reply(ctx, destination == null ? 404 : 200, destination == null ? error(195022, "Invalid or missing destination id.") : destination);
        }));
        router.put(BASE + "/destination/:id").handler(BodyHandler.create()).blockingHandler(ctx -> withToken(ctx, () -> updateDestination(ctx)), false);
        router.get(BASE + "/topic/:topicId").handler(ctx -> {
            if (api.authorized(ctx)) {
                topic(ctx);
            }
        });
        router.get(BASE + "/subscription").handler(ctx -> {
            if (api.authorized(ctx)) {
                String owner = api.owner(ctx);
                reply(ctx, 200, page(ctx, "subscriptions", subscriptions.values().stream().filter(s -> owner.equals(s.get("owner")))
                        .map(SandboxEbayNotificationApi::withoutOwner).toList()));
            }
        });
        router.post(BASE + "/subscription").handler(BodyHandler.create()).handler(ctx -> {
            if (api.authorized(ctx)) {
                createSubscription(ctx);
            }
        });
        router.put(BASE + "/subscription/:id").handler(BodyHandler.create()).handler(ctx -> {
            if (api.authorized(ctx)) {
                updateSubscription(ctx);
            }
        });
        router.get("/sandbox/ebay/_notifications/stats").handler(ctx -> reply(ctx, 200, stats()));
        // {"topicId":"ORDER_CONFIRMATION"}: the seller (or eBay) disabled that subscription
        router.post("/sandbox/ebay/_notifications/disable").handler(BodyHandler.create()).handler(ctx -> {
            Object topicId = body(ctx).get("topicId");
            List<Map<String, Object>> disabled = subscriptions.values().stream().filter(s -> s.get("topicId").equals(topicId)).toList();
            disabled.forEach(s -> s.put("status", "DISABLED"));
            reply(ctx, disabled.isEmpty() ? 404 : 200, Map.of("disabled", disabled.size()));
        });
    }

    // --- Trading API ------------------------------------------------------------------------------

    private void trading(RoutingContext ctx) {
        String call = String.valueOf(ctx.request().getHeader("X-EBAY-API-CALL-NAME"));
        count("trading." + call);
        if (ctx.request().getHeader("X-EBAY-API-SITEID") == null || ctx.request().getHeader("X-EBAY-API-COMPATIBILITY-LEVEL") == null) {
            tradingReply(ctx, call, "Failure", "<Errors><ShortMessage>Missing header.</ShortMessage><LongMessage>X-EBAY-API-SITEID and"
                    + " X-EBAY-API-COMPATIBILITY-LEVEL are required.</LongMessage><ErrorCode>10012</ErrorCode><SeverityCode>Error</SeverityCode></Errors>");
            return;
        }
        Optional<String> owner = api.owner(ctx.request().getHeader("X-EBAY-API-IAF-TOKEN"));
        if (owner.isEmpty() || owner.get().equals(SandboxEbayApi.APPLICATION)) {
            tradingReply(ctx, call, "Failure", "<Errors><ShortMessage>Invalid IAF token.</ShortMessage><LongMessage>IAF token supplied is"
                    + " invalid.</LongMessage><ErrorCode>21916984</ErrorCode><SeverityCode>Error</SeverityCode></Errors>");
            return;
        }
        Document request;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            request = factory.newDocumentBuilder().parse(new ByteArrayInputStream(ctx.body().buffer().getBytes()));
        } catch (Exception e) {
            tradingReply(ctx, call, "Failure", "<Errors><ShortMessage>XML Parse error.</ShortMessage><LongMessage>" + escape(String.valueOf(e.getMessage()))
                    + "</LongMessage><ErrorCode>5</ErrorCode><SeverityCode>Error</SeverityCode></Errors>");
            return;
        }
        switch (call) {
            case "SetNotificationPreferences" -> setNotificationPreferences(ctx, call, request);
            case "GetNotificationPreferences" -> getNotificationPreferences(ctx, call, request);
            case "GetItem" -> getItem(ctx, call, request);
            case "GetUser" -> tradingReply(ctx, call, "Success", "<User><UserID>" + owner.get() + "</UserID><Status>Confirmed</Status></User>");
            case "ReviseInventoryStatus", "GetMyeBaySelling" -> seller.trading(call, request.getDocumentElement())
                    .ifPresent(answer -> tradingReply(ctx, call, answer.ack(), answer.content()));
            default -> tradingReply(ctx, call, "Failure", "<Errors><ShortMessage>Unsupported API call.</ShortMessage><LongMessage>The API call \""
                    + escape(call) + "\" is invalid or not supported in this release.</LongMessage><ErrorCode>2</ErrorCode><SeverityCode>Error</SeverityCode></Errors>");
        }
    }

    /** The seller's listing as GetItem returns it (the same Item a Platform Notification carries). */
    private void getItem(RoutingContext ctx, String call, Document request) {
        String itemId = text(request.getDocumentElement(), "ItemID");
        Optional<String> item = itemId == null ? Optional.empty() : seller.itemElement(itemId);
        if (item.isEmpty()) {
            tradingReply(ctx, call, "Failure", "<Errors><ShortMessage>Item not found.</ShortMessage><LongMessage>The item ID " + escape(String.valueOf(itemId))
                    + " is invalid or the item does not exist.</LongMessage><ErrorCode>17</ErrorCode><SeverityCode>Error</SeverityCode></Errors>");
            return;
        }
        tradingReply(ctx, call, "Success", item.get());
    }

    private void setNotificationPreferences(RoutingContext ctx, String call, Document request) {
        Element app = first(request.getDocumentElement(), "ApplicationDeliveryPreferences");
        if (app != null) {
            String url = text(app, "ApplicationURL");
            if (url != null && !url.startsWith("http")) {
                tradingReply(ctx, call, "Failure", "<Errors><ShortMessage>Invalid URL.</ShortMessage><LongMessage>The ApplicationURL \""
                        + escape(url) + "\" is not a valid URL.</LongMessage><ErrorCode>12</ErrorCode><SeverityCode>Error</SeverityCode></Errors>");
                return;
            }
            for (String field : List.of("ApplicationURL", "ApplicationEnable", "DeviceType")) {
                Optional.ofNullable(text(app, field)).ifPresent(value -> applicationPreferences.put(field, value));
            }
        }
        NodeList enables = request.getElementsByTagNameNS(EBL, "NotificationEnable");
        for (int i = 0; i < enables.getLength(); i++) {
            Element enable = (Element) enables.item(i);
            String event = text(enable, "EventType");
            String state = text(enable, "EventEnable");
            if (event == null || !("Enable".equals(state) || "Disable".equals(state))) {
                tradingReply(ctx, call, "Failure", "<Errors><ShortMessage>Invalid preference.</ShortMessage><LongMessage>Each NotificationEnable"
                        + " needs an EventType and EventEnable Enable or Disable.</LongMessage><ErrorCode>37</ErrorCode><SeverityCode>Error</SeverityCode></Errors>");
                return;
            }
            userEvents.put(event, state);
        }
        tradingReply(ctx, call, "Success", "");
    }

    private void getNotificationPreferences(RoutingContext ctx, String call, Document request) {
        String level = Optional.ofNullable(text(request.getDocumentElement(), "PreferenceLevel")).orElse("User");
        StringBuilder xml = new StringBuilder();
        if (level.equals("Application")) {
            xml.append("<ApplicationDeliveryPreferences>");
            applicationPreferences.forEach((field, value) -> xml.append('<').append(field).append('>').append(escape(value))
                    .append("</").append(field).append('>'));
            xml.append("</ApplicationDeliveryPreferences>");
        } else {
            xml.append("<UserDeliveryPreferenceArray>");
            userEvents.forEach((event, state) -> xml.append("<NotificationEnable><EventType>").append(event)
                    .append("</EventType><EventEnable>").append(state).append("</EventEnable></NotificationEnable>"));
            xml.append("</UserDeliveryPreferenceArray>");
        }
        tradingReply(ctx, call, "Success", xml.toString());
    }

    private static void tradingReply(RoutingContext ctx, String call, String ack, String content) {
        ctx.response().setStatusCode(200).putHeader("Content-Type", "text/xml; charset=utf-8")
                .end("<?xml version=\"1.0\" encoding=\"UTF-8\"?><" + call + "Response xmlns=\"" + EBL + "\"><Timestamp>" + Instant.now()
                        + "</Timestamp><Ack>" + ack + "</Ack><Version>1349</Version><Build>sandbox</Build>" + content + "</" + call + "Response>");
    }

    // --- Commerce Notification API ----------------------------------------------------------------

    private void createDestination(RoutingContext ctx) {
        count("createDestination");
        Map<String, Object> request = body(ctx);
        Optional<Map<String, Object>> invalid = invalidDestination(request);
        if (invalid.isPresent()) {
            reply(ctx, 400, invalid.get());
            return;
        }
        if (alertEmail == null) {
            reply(ctx, 409, error(195003, "Please provide configurations required for notifications. Refer to /config"));
            return;
        }
        Map<?, ?> delivery = (Map<?, ?>) request.get("deliveryConfig");
        String endpoint = String.valueOf(delivery.get("endpoint"));
        if (destinations.values().stream().anyMatch(d -> endpoint.equals(((Map<?, ?>) d.get("deliveryConfig")).get("endpoint")))) {
            reply(ctx, 409, error(195021, "Destination exists for this endpoint"));
            return;
        }
        if (!challengeAnswered(endpoint, String.valueOf(delivery.get("verificationToken")))) {
            reply(ctx, 409, error(195020, "Challenge verification failed for requested endpoint"));
            return;
        }
        String id = UUID.randomUUID().toString();
        Map<String, Object> destination = new LinkedHashMap<>();
        destination.put("destinationId", id);
        destination.put("name", request.get("name"));
        destination.put("status", request.get("status"));
        destination.put("deliveryConfig", Map.of("endpoint", endpoint, "verificationToken", delivery.get("verificationToken")));
        destinations.put(id, destination);
        // the contract gives 201 a JSON object (eBay's docs: no payload): an empty one satisfies both
        ctx.response().setStatusCode(201).putHeader("Location", location(ctx, "/destination/" + id))
                .putHeader("Content-Type", "application/json").end("{}");
    }

    private void updateDestination(RoutingContext ctx) {
        count("updateDestination");
        Map<String, Object> destination = destinations.get(ctx.pathParam("id"));
        if (destination == null) {
            reply(ctx, 404, error(195022, "Invalid or missing destination id."));
            return;
        }
        Map<String, Object> request = body(ctx);
        Optional<Map<String, Object>> invalid = invalidDestination(request);
        if (invalid.isPresent()) {
            reply(ctx, 400, invalid.get());
            return;
        }
        Map<?, ?> delivery = (Map<?, ?>) request.get("deliveryConfig");
        if (!challengeAnswered(String.valueOf(delivery.get("endpoint")), String.valueOf(delivery.get("verificationToken")))) {
            reply(ctx, 409, error(195020, "Challenge verification failed for requested endpoint"));
            return;
        }
        destination.put("name", request.get("name"));
        destination.put("status", request.get("status"));
        destination.put("deliveryConfig", Map.of("endpoint", delivery.get("endpoint"), "verificationToken", delivery.get("verificationToken")));
        ctx.response().setStatusCode(204).end();
    }

    private static Optional<Map<String, Object>> invalidDestination(Map<String, Object> request) {
        if (request.get("name") instanceof String name && name.length() > 64) {
            return Optional.of(error(195016, "Invalid name. Markups or lengths greater than 64 not supported"));
        }
        if (!(request.get("deliveryConfig") instanceof Map<?, ?> delivery) || !(delivery.get("endpoint") instanceof String endpoint)
                || !endpoint.startsWith("http")) {
            return Optional.of(error(195017, "Invalid or missing endpoint."));
        }
        if (!"ENABLED".equals(request.get("status")) && !"DISABLED".equals(request.get("status"))) {
            return Optional.of(error(195018, "Invalid or missing destination status. Supported values:[ENABLED,DISABLED]"));
        }
        if (!(delivery.get("verificationToken") instanceof String token) || !token.matches("[A-Za-z0-9_-]{32,80}")) {
            return Optional.of(error(195019, "Invalid or missing verification token for this endpoint."));
        }
        return Optional.empty();
    }

    /** eBay's endpoint challenge: GET endpoint?challenge_code=, expecting SHA-256(code + token + endpoint) in hex. */
    private boolean challengeAnswered(String endpoint, String verificationToken) {
        count("challenges");
        String code = UUID.randomUUID().toString();
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(endpoint + (endpoint.contains("?") ? "&" : "?")
                    + "challenge_code=" + URLEncoder.encode(code, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return false;
            }
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((code + verificationToken + endpoint).getBytes(StandardCharsets.UTF_8));
            JsonNode answer = json.readTree(response.body());
            return HexFormat.of().formatHex(digest).equals(answer.path("challengeResponse").asText());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            return false; // unreachable, unreadable or not a URL: the challenge failed
        }
    }

    private void topic(RoutingContext ctx) {
        String topicId = ctx.pathParam("topicId");
        String context = TOPICS.get(topicId);
        if (context == null) {
            reply(ctx, 404, error(195002, "Invalid or missing topic id."));
            return;
        }
        reply(ctx, 200, Map.of("topicId", topicId, "context", context, "scope", "IMMEDIATE", "status", "ENABLED", "filterable", false,
                "authorizationScopes", List.of(context.equals("USER") ? "https://api.ebay.com/oauth/api_scope/commerce.notification.subscription"
                        : "https://api.ebay.com/oauth/api_scope"),
                "supportedPayloads", List.of(Map.of("schemaVersion", "1.0", "format", List.of("JSON"), "deliveryProtocol", "HTTPS",
                        "deprecated", false))));
    }

    private void createSubscription(RoutingContext ctx) {
        count("createSubscription");
        Map<String, Object> request = body(ctx);
        String owner = api.owner(ctx);
        Object topicId = request.get("topicId");
        String context = topicId == null ? null : TOPICS.get(String.valueOf(topicId));
        Optional<Map<String, Object>> invalid = invalidSubscription(request, context == null ? null : String.valueOf(topicId));
        if (invalid.isPresent()) {
            reply(ctx, 400, invalid.get());
            return;
        }
        if (context.equals("USER") == owner.equals(SandboxEbayApi.APPLICATION)) {
            reply(ctx, 403, error(195011, "Not authorized for this topic."));
            return;
        }
        if (subscriptions.values().stream().anyMatch(s -> owner.equals(s.get("owner")) && topicId.equals(s.get("topicId")))) {
            reply(ctx, 409, error(195012, "Subscription already exists"));
            return;
        }
        Map<String, Object> destination = destinations.get(String.valueOf(request.get("destinationId")));
        if ("ENABLED".equals(request.get("status")) && !"ENABLED".equals(destination.get("status"))) {
            reply(ctx, 409, error(195015, "The subscription cannot be enabled since the destination is not enabled."));
            return;
        }
        String id = UUID.randomUUID().toString();
        Map<String, Object> subscription = new LinkedHashMap<>();
        subscription.put("subscriptionId", id);
        subscription.put("topicId", topicId);
        subscription.put("status", request.get("status"));
        subscription.put("creationDate", Instant.now().toString());
        subscription.put("destinationId", request.get("destinationId"));
        subscription.put("payload", request.get("payload"));
        subscription.put("owner", owner);
        subscriptions.put(id, subscription);
        ctx.response().setStatusCode(201).putHeader("Location", location(ctx, "/subscription/" + id))
                .putHeader("Content-Type", "application/json").end("{}"); // a JSON object, as the contract gives 201
    }

    private void updateSubscription(RoutingContext ctx) {
        count("updateSubscription");
        Map<String, Object> subscription = subscriptions.get(ctx.pathParam("id"));
        if (subscription == null || !api.owner(ctx).equals(subscription.get("owner"))) {
            reply(ctx, 404, error(195013, "The subscription id does not exist."));
            return;
        }
        Map<String, Object> request = new HashMap<>(body(ctx));
        request.put("topicId", subscription.get("topicId"));
        Optional<Map<String, Object>> invalid = invalidSubscription(request, String.valueOf(subscription.get("topicId")));
        if (invalid.isPresent()) {
            reply(ctx, 400, invalid.get());
            return;
        }
        subscription.put("status", request.get("status"));
        subscription.put("destinationId", request.get("destinationId"));
        subscription.put("payload", request.get("payload"));
        ctx.response().setStatusCode(204).end();
    }

    private Optional<Map<String, Object>> invalidSubscription(Map<String, Object> request, String topicId) {
        if (topicId == null) {
            return Optional.of(error(195027, "Invalid or missing topic id."));
        }
        if (!"ENABLED".equals(request.get("status")) && !"DISABLED".equals(request.get("status"))) {
            return Optional.of(error(195006, "Invalid or missing subscription status."));
        }
        if (!destinations.containsKey(String.valueOf(request.get("destinationId")))) {
            return Optional.of(error(195007, "Invalid or missing destination id."));
        }
        Map<?, ?> payload = request.get("payload") instanceof Map<?, ?> p ? p : Map.of();
        if (!"1.0".equals(payload.get("schemaVersion"))) {
            return Optional.of(error(195008, "Invalid or missing schema version. Please refer to /topic/" + topicId + " for supported schema versions."));
        }
        if (!"JSON".equals(payload.get("format"))) {
            return Optional.of(error(195009, "Specified format is not supported for the topic."));
        }
        if (!"HTTPS".equals(payload.get("deliveryProtocol"))) {
            return Optional.of(error(195010, "Invalid or missing protocol"));
        }
        return Optional.empty();
    }

    // --- helpers ------------------------------------------------------------------------------------

    /** Runs the handler for a request with a valid token; eBay's 401 otherwise. */
    private void withToken(RoutingContext ctx, Runnable handler) {
        if (api.authorized(ctx)) {
            handler.run();
        }
    }

    private static Map<String, Object> page(RoutingContext ctx, String field, List<?> items) {
        return Map.of("href", ctx.request().uri(), "total", items.size(), "limit", 100, field, items);
    }

    private static String location(RoutingContext ctx, String path) {
        return "http://" + ctx.request().authority() + BASE + path;
    }

    private static Map<String, Object> withoutOwner(Map<String, Object> subscription) {
        Map<String, Object> copy = new LinkedHashMap<>(subscription);
        copy.remove("owner");
        return copy;
    }

    private Map<String, Object> stats() {
        Map<String, Integer> counts = new HashMap<>();
        calls.forEach((call, count) -> counts.put(call, count.get()));
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("calls", counts);
        stats.put("applicationPreferences", applicationPreferences);
        stats.put("userEvents", userEvents);
        stats.put("alertEmail", alertEmail);
        stats.put("destinations", new ArrayList<>(destinations.values()));
        stats.put("subscriptions", new ArrayList<>(subscriptions.values()));
        return stats;
    }

    private void count(String call) {
        calls.computeIfAbsent(call, c -> new AtomicInteger()).incrementAndGet();
    }

    private static Map<String, Object> error(int errorId, String message) {
        return Map.of("errors", List.of(Map.of("errorId", errorId, "domain", "API_NOTIFICATION",
                "category", errorId == 195000 ? "APPLICATION" : "REQUEST", "message", message)));
    }

    private Map<String, Object> body(RoutingContext ctx) {
        try {
            return SandboxHttp.readObject(json, ctx);
        } catch (IllegalArgumentException e) {
            return Map.of();
        }
    }

    private void reply(RoutingContext ctx, int status, Object body) {
        SandboxHttp.reply(json, ctx.response(), status, body);
    }

    private static Element first(Element parent, String localName) {
        NodeList nodes = parent.getElementsByTagNameNS(EBL, localName);
        return nodes.getLength() == 0 ? null : (Element) nodes.item(0);
    }

    private static String text(Element parent, String localName) {
        Element element = first(parent, localName);
        return element == null ? null : element.getTextContent().trim();
    }

    private static String escape(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

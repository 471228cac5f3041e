package io.marketbridge.ebay.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketbridge.ebay.EbayConfig;
import io.marketbridge.ebay.account.EbayTokens;
import io.marketbridge.ebay.api.EbayApi;
import io.marketbridge.ebay.api.EbayTrading;
import io.marketbridge.pipeline.Database;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.RejectedInput;
import io.marketbridge.pipeline.SyncFailure;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns real-time sync on for the connected seller, idempotently (a reconnect creates nothing twice):
 * Trading API Platform Notification preferences (our /webhooks/ebay/platform, the listing and sale events), and
 * Commerce Notification API subscriptions (one destination for our /webhooks/ebay/events, one subscription per
 * topic, existing ones found by listing first and reused). Each outcome is recorded in {@code ebay_subscription}
 * for the admin status; a failure is recorded, never thrown, so it does not undo the connection.
 * <p>
 * The destination and subscription payloads follow eBay's published Notification API contract (v1.5/1.6
 * OpenAPI). UNCONFIRMED from eBay's own material: that USER-context topics must be subscribed with the seller's
 * token and APPLICATION-context ones with the application token (we read the topic's {@code context} to choose),
 * and that MARKETPLACE_ACCOUNT_DELETION is not offered by the API (eBay documents it as a developer portal
 * setting; we ask the API and report it as MANUAL when the topic is unknown there).
 */
@Singleton
@Named("ebayNotificationSubscriptions")
public class EbayNotificationSubscriptions {

    private static final Logger LOG = Logger.getLogger(EbayNotificationSubscriptions.class);
    static final List<String> PLATFORM_EVENTS = List.of("ItemListed", "ItemRevised", "ItemClosed", "FixedPriceTransaction",
            "AuctionCheckoutComplete", "ItemSold");
    static final List<String> COMMERCE_TOPICS = List.of("ORDER_CONFIRMATION", "ITEM_MARKED_SHIPPED", "AUTHORIZATION_REVOCATION",
            "MARKETPLACE_ACCOUNT_DELETION");
    private static final String API = "/commerce/notification/v1";
    private static final String DESTINATION_NAME = "marketbridge";
    private static final String PLATFORM = "platform-notifications";
    private static final String DESTINATION = "commerce-destination";

    /** One thing registered with eBay and how it went: ACTIVE, FAILED, NOT_CONFIGURED or MANUAL. */
    @RegisterForReflection
    public record Subscription(String name, String kind, String state, String remoteId, String detail, OffsetDateTime updatedAt) {
    }

    private final EbayConfig config;
    private final EbayApi ebay;
    private final EbayTrading trading;
    private final EbayTokens tokens;
    private final Database db;

    EbayNotificationSubscriptions(EbayConfig config, EbayApi ebay, EbayTrading trading, EbayTokens tokens, Database db) {
        this.config = config;
        this.ebay = ebay;
        this.trading = trading;
        this.tokens = tokens;
        this.db = db;
    }

    /** POST /admin/ebay/subscriptions: registers again what is missing or failed. */
    public List<Subscription> retry() throws SQLException {
        if (!tokens.sellerConnected()) {
            throw new RejectedInput(409, "no eBay seller is connected: connect one at /admin/ebay/connect first");
        }
        return subscribeAll();
    }

    public synchronized List<Subscription> subscribeAll() throws SQLException {
        platformNotifications();
        commerceNotifications();
        List<Subscription> outcome = list();
        outcome.stream().filter(s -> s.state().equals("FAILED"))
                .forEach(s -> LOG.warnf("eBay subscription %s failed: %s", s.name(), s.detail()));
        return outcome;
    }

    public List<Subscription> list() throws SQLException {
        List<Subscription> subscriptions = new ArrayList<>();
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT name, kind, state, remote_id, detail, updated_at FROM ebay_subscription"
                        + " ORDER BY kind DESC, name");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                subscriptions.add(new Subscription(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getObject(6, OffsetDateTime.class)));
            }
        }
        return subscriptions;
    }

    // --- Trading API Platform Notifications -------------------------------------------------------

    private void platformNotifications() throws SQLException {
        Optional<String> url = config.notification().platformUrl().filter(u -> !u.isBlank());
        if (url.isEmpty()) {
            record(PLATFORM, "PLATFORM", "NOT_CONFIGURED", null, "set marketbridge.ebay.notification.platform-url"
                    + " (MARKETBRIDGE_EBAY_NOTIFICATION_PLATFORM_URL) to the public URL of /webhooks/ebay/platform, then POST /admin/ebay/subscriptions");
            return;
        }
        StringBuilder xml = new StringBuilder("<ApplicationDeliveryPreferences><ApplicationURL>").append(EbayTrading.escape(url.get()))
                .append("</ApplicationURL><ApplicationEnable>Enable</ApplicationEnable><DeviceType>Platform</DeviceType>")
                .append("</ApplicationDeliveryPreferences><UserDeliveryPreferenceArray>");
        PLATFORM_EVENTS.forEach(event -> xml.append("<NotificationEnable><EventType>").append(event)
                .append("</EventType><EventEnable>Enable</EventEnable></NotificationEnable>"));
        xml.append("</UserDeliveryPreferenceArray>");
        try {
            EbayTrading.Answer answer = trading.call("SetNotificationPreferences", xml.toString());
            record(PLATFORM, "PLATFORM", "ACTIVE", null, "delivered to " + url.get() + ": " + String.join(", ", PLATFORM_EVENTS)
                    + (answer.warnings().isEmpty() ? "" : " (eBay warns: " + String.join("; ", answer.warnings()) + ")"));
        } catch (SyncFailure e) {
            record(PLATFORM, "PLATFORM", "FAILED", null, e.getMessage());
        }
    }

    // --- Commerce Notification API -----------------------------------------------------------------

    private void commerceNotifications() throws SQLException {
        Optional<String> endpoint = config.notification().endpointUrl().filter(u -> !u.isBlank());
        Optional<String> verificationToken = config.notification().verificationToken().filter(u -> !u.isBlank());
        if (endpoint.isEmpty() || verificationToken.isEmpty()) {
            String missing = "set marketbridge.ebay.notification.endpoint-url (the public URL of /webhooks/ebay/events) and"
                    + " marketbridge.ebay.notification.verification-token, then POST /admin/ebay/subscriptions";
            record(DESTINATION, "DESTINATION", "NOT_CONFIGURED", null, missing);
            for (String topic : COMMERCE_TOPICS) {
                record(topicName(topic), "TOPIC", "NOT_CONFIGURED", null, "needs the Commerce notification destination: " + missing);
            }
            return;
        }
        String destinationId;
        try {
            destinationId = destination(endpoint.get(), verificationToken.get());
            record(DESTINATION, "DESTINATION", "ACTIVE", destinationId, "endpoint " + endpoint.get());
        } catch (SyncFailure e) {
            record(DESTINATION, "DESTINATION", "FAILED", null, e.getMessage());
            for (String topic : COMMERCE_TOPICS) {
                record(topicName(topic), "TOPIC", "FAILED", null, "no destination to deliver to (see " + DESTINATION + ")");
            }
            return;
        }
        Map<Boolean, List<JsonNode>> existing = new HashMap<>(); // subscriptions already at eBay, by whose token lists them
        for (String topic : COMMERCE_TOPICS) {
            try {
                topic(topic, destinationId, endpoint.get(), existing);
            } catch (SyncFailure e) {
                record(topicName(topic), "TOPIC", "FAILED", null, e.getMessage());
            }
        }
    }

    /** Our destination: the existing one for the endpoint (enabled again if needed), else a new one. */
    private String destination(String endpoint, String verificationToken) {
        config.notification().alertEmail().filter(e -> !e.isBlank()).ifPresent(email -> {
            EbayApi.Reply reply = ebay.send("PUT", API + "/config", Map.of("alertEmail", email), false);
            if (!reply.ok()) {
                throw new PermanentFailure(EbayTokens.PEER, "updateConfig (alert email): " + explain(reply));
            }
        });
        Map<String, Object> request = Map.of("name", DESTINATION_NAME, "status", "ENABLED",
                "deliveryConfig", Map.of("endpoint", endpoint, "verificationToken", verificationToken));
        for (JsonNode destination : listAll("/destination", "destinations", false)) {
            JsonNode delivery = destination.path("deliveryConfig");
            if (endpoint.equals(delivery.path("endpoint").asText())) {
                String id = destination.path("destinationId").asText();
                if (!"ENABLED".equals(destination.path("status").asText())
                        || !verificationToken.equals(delivery.path("verificationToken").asText(verificationToken))) {
                    EbayApi.Reply updated = ebay.send("PUT", API + "/destination/" + encode(id), request, false);
                    if (!updated.ok()) {
                        throw new PermanentFailure(EbayTokens.PEER, "updateDestination: " + explain(updated));
                    }
                }
                return id;
            }
        }
        EbayApi.Reply created = ebay.send("POST", API + "/destination", request, false);
        if (!created.ok()) {
            throw new PermanentFailure(EbayTokens.PEER, "createDestination: " + explain(created));
        }
        return createdId(created, "destinationId");
    }

    private void topic(String topic, String destinationId, String endpoint, Map<Boolean, List<JsonNode>> existing) throws SQLException {
        EbayApi.Reply details = ebay.send("GET", API + "/topic/" + encode(topic), null, false);
        if (details.status() == 404 || details.errorId() == 195002) {
            record(topicName(topic), "TOPIC", "MANUAL", null, "eBay's Notification API does not offer this topic to this application:"
                    + " it is set in the eBay developer portal (Alerts & Notifications). Register " + endpoint
                    + " there with the same verification token.");
            return;
        }
        if (!details.ok()) {
            throw new PermanentFailure(EbayTokens.PEER, "getTopic " + topic + ": " + explain(details));
        }
        boolean asSeller = "USER".equalsIgnoreCase(details.body().path("context").asText(""));
        Map<String, Object> payload = Map.of("format", "JSON", "schemaVersion", schemaVersion(details.body()), "deliveryProtocol", "HTTPS");
        List<JsonNode> subscriptions = existing.get(asSeller);
        if (subscriptions == null) {
            subscriptions = listAll("/subscription", "subscriptions", asSeller);
            existing.put(asSeller, subscriptions);
        }
        Optional<JsonNode> found = subscriptions.stream().filter(s -> topic.equals(s.path("topicId").asText())).findFirst();
        if (found.isPresent()) {
            String id = found.get().path("subscriptionId").asText();
            boolean current = destinationId.equals(found.get().path("destinationId").asText())
                    && "ENABLED".equals(found.get().path("status").asText());
            if (!current) {
                EbayApi.Reply updated = ebay.send("PUT", API + "/subscription/" + encode(id),
                        Map.of("status", "ENABLED", "destinationId", destinationId, "payload", payload), asSeller);
                if (!updated.ok()) {
                    throw new PermanentFailure(EbayTokens.PEER, "updateSubscription " + topic + ": " + explain(updated));
                }
            }
            record(topicName(topic), "TOPIC", "ACTIVE", id, current ? "already subscribed" : "subscription enabled and pointed at our destination");
            return;
        }
        EbayApi.Reply created = ebay.send("POST", API + "/subscription", Map.of("topicId", topic, "status", "ENABLED",
                "destinationId", destinationId, "payload", payload), asSeller);
        if (created.status() == 409 && created.errorId() == 195012) {
            record(topicName(topic), "TOPIC", "ACTIVE", null, "eBay reports the subscription exists already");
            return;
        }
        if (!created.ok()) {
            throw new PermanentFailure(EbayTokens.PEER, "createSubscription " + topic + ": " + explain(created));
        }
        record(topicName(topic), "TOPIC", "ACTIVE", createdId(created, "subscriptionId"), "subscribed (schema "
                + payload.get("schemaVersion") + ", " + (asSeller ? "seller" : "application") + " level)");
    }

    /** The last schema version eBay lists for the topic that is not deprecated (the first if all are). */
    private static String schemaVersion(JsonNode topic) {
        String chosen = null;
        for (JsonNode payload : topic.path("supportedPayloads")) {
            if (!payload.path("deprecated").asBoolean(false) || chosen == null) {
                chosen = payload.path("schemaVersion").asText(chosen);
            }
        }
        return chosen == null || chosen.isBlank() ? "1.0" : chosen;
    }

    /** Every page of a Notification API collection ({@code next} is an absolute URL with a continuation token). */
    private List<JsonNode> listAll(String resource, String field, boolean asSeller) {
        List<JsonNode> all = new ArrayList<>();
        String path = API + resource + "?limit=100";
        for (int page = 0; page < 20 && path != null; page++) {
            EbayApi.Reply reply = ebay.send("GET", path, null, asSeller);
            if (!reply.ok()) {
                throw new PermanentFailure(EbayTokens.PEER, "listing " + resource + ": " + explain(reply));
            }
            reply.body().path(field).forEach(all::add);
            String next = reply.body().path("next").asText("");
            path = next.contains(API) ? next.substring(next.indexOf(API)) : null;
        }
        return all;
    }

    /** The id of a created resource: the last segment of Location (eBay's 201 has an empty body), else a body field. */
    private static String createdId(EbayApi.Reply reply, String field) {
        return reply.location().map(l -> l.replaceAll("[?#].*$", "").replaceAll("/+$", ""))
                .map(l -> l.substring(l.lastIndexOf('/') + 1)).filter(id -> !id.isBlank())
                .orElseGet(() -> reply.body().path(field).asText(null));
    }

    /** eBay's error, with what to do for the ones an operator can fix. */
    private static String explain(EbayApi.Reply reply) {
        String advice = switch (reply.errorId()) {
            case 195003 -> ": eBay wants an alert email first, set marketbridge.ebay.notification.alert-email";
            case 195020 -> ": eBay's challenge to the endpoint failed; it must be reachable from the internet and"
                    + " marketbridge.ebay.notification.endpoint-url and verification-token must match what it answers with";
            case 195011 -> ": the seller's consent lacks the topic's scope (see marketbridge.ebay.oauth.scopes), reconnect after fixing";
            default -> "";
        };
        return "HTTP " + reply.status() + " " + reply.message() + advice;
    }

    private static String topicName(String topic) {
        return "topic:" + topic;
    }

    private void record(String name, String kind, String state, String remoteId, String detail) throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String text = detail == null || detail.length() <= 2000 ? detail : detail.substring(0, 2000);
        try (Connection c = db.connection()) {
            if (Database.execute(c, "UPDATE ebay_subscription SET kind = ?, state = ?, remote_id = ?, detail = ?, updated_at = ? WHERE name = ?",
                    kind, state, remoteId, text, now, name) == 0) {
                Database.execute(c, "INSERT INTO ebay_subscription (name, kind, state, remote_id, detail, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                        name, kind, state, remoteId, text, now);
            }
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

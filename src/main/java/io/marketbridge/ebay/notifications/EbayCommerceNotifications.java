package io.marketbridge.ebay.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketbridge.ebay.EbayConfig;
import io.marketbridge.ebay.account.EbaySellerConnection;
import io.marketbridge.ebay.account.EbayTokens;
import io.marketbridge.ebay.api.EbayApi;
import io.marketbridge.ebay.api.EbayTrading;
import io.marketbridge.model.EbayNotification;
import io.marketbridge.model.InboundEvent;
import io.marketbridge.pipeline.Digests;
import io.marketbridge.pipeline.InboxEvent;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.RejectedInput;
import io.marketbridge.pipeline.SyncFailure;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * eBay's Commerce Notification API: the endpoint challenge, and pushes verified through
 * {@code X-EBAY-SIGNATURE} (ECDSA over the raw body, the public key fetched by {@code kid} with the
 * application token and cached, the algorithm taken from eBay's answer), then normalised for the
 * inbox, deduplicated on {@code notificationId}.
 */
@Singleton
@Named("ebayCommerceNotifications")
public class EbayCommerceNotifications {

    private static final Logger LOG = Logger.getLogger(EbayCommerceNotifications.class);

    private record VerificationKey(PublicKey key, String algorithm, Instant fetchedAt) {
    }

    private final EbayConfig config;
    private final EbayApi ebay;
    private final EbayTokens tokens;
    private final ObjectMapper json;
    private final EbaySellerConnection connection;
    private final EbayTrading trading;
    private final Map<String, VerificationKey> keys = new ConcurrentHashMap<>();
    /** The connected seller's eBay user id (GetUser), once asked; a new connection may be another seller. */
    private volatile String sellerUserId;

    EbayCommerceNotifications(EbayConfig config, EbayApi ebay, EbayTokens tokens, ObjectMapper json,
            EbaySellerConnection connection, EbayTrading trading) {
        this.config = config;
        this.ebay = ebay;
        this.tokens = tokens;
        this.json = json;
        this.connection = connection;
        this.trading = trading;
    }

    /** {@code {"challengeResponse": hex(SHA-256(challengeCode + verificationToken + endpoint))}}. */
    public Map<String, String> challenge(@Header("challenge_code") String challengeCode) {
        if (challengeCode == null || challengeCode.isBlank()) {
            throw new RejectedInput(400, "challenge_code query parameter missing");
        }
        String token = config.notification().verificationToken().orElseThrow(() -> new RejectedInput(503,
                "marketbridge.ebay.notification.verification-token is not configured"));
        String endpoint = config.notification().endpointUrl().orElseThrow(() -> new RejectedInput(503,
                "marketbridge.ebay.notification.endpoint-url is not configured"));
        return Map.of("challengeResponse", Digests.sha256Hex(challengeCode + token + endpoint));
    }

    /** Verifies the push and replaces the body with the event for the inbox; 412 when the signature fails. */
    public void receive(Exchange exchange) {
        byte[] body = RejectedInput.rawBody(exchange);
        if (body == null || body.length == 0) {
            throw new RejectedInput(400, "empty body: expected an eBay notification");
        }
        if (body.length > config.notification().maxBodyBytes()) {
            throw new RejectedInput(413, "notification of " + body.length + " bytes exceeds the limit");
        }
        verify(exchange.getMessage().getHeader("X-EBAY-SIGNATURE", String.class), body);
        JsonNode envelope;
        try {
            envelope = json.readTree(body);
        } catch (IOException e) {
            throw new RejectedInput(400, "malformed notification JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        String topic = envelope.path("metadata").path("topic").asText("");
        JsonNode notification = envelope.path("notification");
        String id = notification.path("notificationId").asText("");
        if (topic.isEmpty() || id.isEmpty()) {
            throw new RejectedInput(400, "malformed notification: metadata.topic and notification.notificationId are required");
        }
        JsonNode data = notification.path("data");
        Instant at = parseInstant(notification.path("eventDate").asText(null));
        // An order confirmation's buyer details are fetched with the order: only the ids of its data are kept,
        // so that a wrong guess of where the order id sits can be corrected and the event replayed
        String raw = topic.equals("ORDER_CONFIRMATION") ? idsOnly(envelope) : new String(body, StandardCharsets.UTF_8);
        EbayNotification normalised = new EbayNotification(topic, at, text(data, "itemId"), null, orderIdIn(data), raw);
        try {
            exchange.getMessage().setBody(new InboundEvent("ebay", "ebay:notification:" + id, "ebay." + topic,
                    json.writeValueAsString(normalised)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The order id of an order notification, wherever eBay puts it: {@code data.order.orderId} (reported from
     * real ORDER_CONFIRMATION deliveries), {@code data.orderId} (the older place), else the first
     * {@code orderId} anywhere under {@code data}; null when there is none.
     */
    public static String orderIdIn(JsonNode data) {
        for (JsonNode candidate : List.of(data.path("order").path("orderId"), data.path("orderId"))) {
            if (candidate.isValueNode() && !candidate.asText().isBlank()) {
                return candidate.asText();
            }
        }
        JsonNode anywhere = data.findValue("orderId");
        return anywhere != null && anywhere.isValueNode() && !anywhere.asText().isBlank() ? anywhere.asText() : null;
    }

    /**
     * The push with only the ids of its {@code data} (fields named {@code ...Id}, in their places), and none
     * that names a person (a buyer's or user's id): what an order confirmation keeps of itself.
     */
    String idsOnly(JsonNode envelope) {
        ObjectNode kept = json.createObjectNode();
        kept.set("metadata", envelope.path("metadata").deepCopy());
        ObjectNode notification = kept.putObject("notification");
        for (String field : List.of("notificationId", "eventDate", "publishDate", "publishAttemptCount")) {
            if (envelope.path("notification").has(field)) {
                notification.set(field, envelope.path("notification").get(field).deepCopy());
            }
        }
        notification.set("data", ids(envelope.path("notification").path("data")));
        return kept.toString();
    }

    private JsonNode ids(JsonNode node) {
        if (node.isArray()) {
            ArrayNode array = json.createArrayNode();
            node.forEach(element -> array.add(ids(element)));
            return array;
        }
        ObjectNode object = json.createObjectNode();
        node.properties().forEach(field -> {
            String name = field.getKey();
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.contains("buyer") || lower.contains("user") || lower.contains("eias")) {
                return; // a person, not an order
            }
            if (field.getValue().isContainerNode()) {
                JsonNode inner = ids(field.getValue());
                if (!inner.isEmpty()) {
                    object.set(name, inner);
                }
            } else if (field.getValue().isValueNode() && (name.endsWith("Id") || name.endsWith("ID") || name.equals("id"))) {
                object.set(name, field.getValue());
            }
        });
        return object;
    }

    /**
     * AUTHORIZATION_REVOCATION is an application topic: it comes for any eBay user who revokes this application.
     * eBay is paused only when it names the connected seller (by user name or user id); when the seller cannot
     * be identified, it is paused all the same, as the safe side.
     */
    public void authorizationRevoked(InboxEvent event) {
        JsonNode data = revocationData(event);
        String username = data.path("username").asText("");
        String userId = data.path("userId").asText("");
        Optional<String> seller = connectedSeller();
        if (seller.isPresent() && !seller.get().equalsIgnoreCase(username) && !seller.get().equals(userId)) {
            LOG.infof("AUTHORIZATION_REVOCATION %s names eBay user %s, not the connected seller: nothing paused", event.key(),
                    username.isBlank() ? userId : username);
            return;
        }
        tokens.pause("The seller revoked this application's eBay authorization (AUTHORIZATION_REVOCATION, " + event.key()
                + (seller.isEmpty() ? "; the connected seller could not be identified to compare" : "")
                + "). eBay calls are paused. " + EbayTokens.RECONNECT);
    }

    private JsonNode revocationData(InboxEvent event) {
        try {
            EbayNotification notification = json.readValue(event.payload(), EbayNotification.class);
            return notification.raw() == null ? json.createObjectNode()
                    : json.readTree(notification.raw()).path("notification").path("data");
        } catch (IOException e) {
            throw new PermanentFailure(EbayTokens.PEER, "unreadable AUTHORIZATION_REVOCATION " + event.key() + ": " + e.getMessage(), e);
        }
    }

    /** The connected seller's eBay user id: as recorded when connecting, else asked once through GetUser. */
    private Optional<String> connectedSeller() {
        Optional<String> recorded = connection.current().map(EbaySellerConnection.Connected::ebayUserId).filter(id -> !id.isBlank());
        if (recorded.isPresent()) {
            return recorded;
        }
        String known = sellerUserId;
        if (known != null) {
            return Optional.of(known);
        }
        try {
            Optional<String> asked = trading.call("GetUser", "").text("UserID").filter(id -> !id.isBlank());
            asked.ifPresent(id -> sellerUserId = id);
            return asked;
        } catch (SyncFailure e) {
            LOG.warnf("AUTHORIZATION_REVOCATION: cannot tell who the connected seller is (GetUser: %s)", e.getMessage());
            return Optional.empty();
        }
    }

    private void verify(String header, byte[] body) {
        if (header == null || header.isBlank()) {
            throw new RejectedInput(412, "X-EBAY-SIGNATURE header missing");
        }
        JsonNode signature;
        try {
            signature = json.readTree(Base64.getDecoder().decode(header.trim()));
        } catch (IllegalArgumentException | IOException e) {
            throw new RejectedInput(412, "X-EBAY-SIGNATURE is not Base64 JSON");
        }
        String kid = signature.path("kid").asText("");
        if (kid.isEmpty() || !kid.matches("[A-Za-z0-9_.:-]{1,128}")) {
            throw new RejectedInput(412, "X-EBAY-SIGNATURE names no valid kid");
        }
        VerificationKey key = key(kid);
        try {
            Signature verifier = Signature.getInstance(key.algorithm());
            verifier.initVerify(key.key());
            verifier.update(body);
            if (!verifier.verify(Base64.getDecoder().decode(signature.path("signature").asText("")))) {
                throw new RejectedInput(412, "X-EBAY-SIGNATURE does not match the body");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new RejectedInput(412, "X-EBAY-SIGNATURE cannot be verified: " + e.getMessage());
        }
    }

    /** The key eBay publishes for {@code kid}, fetched once and trusted for the configured time. */
    private VerificationKey key(String kid) {
        VerificationKey cached = keys.get(kid);
        if (cached != null && cached.fetchedAt().plus(config.notification().publicKeyCache()).isAfter(Instant.now())) {
            return cached;
        }
        JsonNode answer;
        try {
            answer = ebay.getAsApplication("/commerce/notification/v1/public_key/" + kid);
        } catch (PermanentFailure e) {
            // eBay does not know the key: the push cannot be verified (eBay being unreachable stays a 5xx, so it retries)
            throw new RejectedInput(412, "no eBay public key for kid " + kid + ": " + e.getMessage());
        }
        String pem = answer.path("key").asText("");
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            String algorithm = answer.path("digest").asText("SHA1") + "with" + answer.path("algorithm").asText("ECDSA");
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
            VerificationKey fetched = new VerificationKey(key, algorithm, Instant.now());
            keys.put(kid, fetched);
            return fetched;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new RejectedInput(412, "eBay's public key for kid " + kid + " is unusable: " + e.getMessage());
        }
    }

    private static Instant parseInstant(String value) {
        try {
            return value == null ? Instant.now() : Instant.parse(value);
        } catch (RuntimeException e) {
            return Instant.now();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}

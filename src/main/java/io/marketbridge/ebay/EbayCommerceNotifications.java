package io.marketbridge.ebay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.config.MarketbridgeConfig;
import io.marketbridge.model.EbayNotification;
import io.marketbridge.model.InboundEvent;
import io.marketbridge.pipeline.Digests;
import io.marketbridge.pipeline.InboxEvent;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.RejectedInput;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
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

    private record VerificationKey(PublicKey key, String algorithm, Instant fetchedAt) {
    }

    private final MarketbridgeConfig.Ebay config;
    private final EbayApi ebay;
    private final EbayTokens tokens;
    private final ObjectMapper json;
    private final Map<String, VerificationKey> keys = new ConcurrentHashMap<>();

    EbayCommerceNotifications(MarketbridgeConfig config, EbayApi ebay, EbayTokens tokens, ObjectMapper json) {
        this.config = config.ebay();
        this.ebay = ebay;
        this.tokens = tokens;
        this.json = json;
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
        byte[] body = exchange.getMessage().getBody(byte[].class);
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
        // An order confirmation's buyer details are fetched with the order: not kept from the push
        String raw = topic.equals("ORDER_CONFIRMATION") ? null : new String(body, StandardCharsets.UTF_8);
        EbayNotification normalised = new EbayNotification(topic, at, text(data, "itemId"), null, text(data, "orderId"), raw);
        try {
            exchange.getMessage().setBody(new InboundEvent("ebay", "ebay:notification:" + id, "ebay." + topic,
                    json.writeValueAsString(normalised)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** AUTHORIZATION_REVOCATION: the seller revoked this application. */
    public void authorizationRevoked(InboxEvent event) {
        tokens.pause("The seller revoked this application's eBay authorization (AUTHORIZATION_REVOCATION, " + event.key()
                + "). eBay calls are paused. " + EbayTokens.RECONNECT);
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

package io.marketbridge.ebay.notifications;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.config.RequiredSettings;
import io.marketbridge.ebay.EbayConfig;
import io.marketbridge.ebay.trading.Item;
import io.marketbridge.ebay.trading.TradingResponse;
import io.marketbridge.ebay.trading.Transaction;
import io.marketbridge.model.EbayListing;
import io.marketbridge.model.EbayNotification;
import io.marketbridge.model.InboundEvent;
import io.marketbridge.pipeline.RejectedInput;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.Exchange;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The door for eBay Trading API Platform Notifications: size limit, safe parsing, signature and
 * freshness checks, then the normalised {@link InboundEvent} the inbox stores.
 */
@Singleton
@Named("ebayPlatformNotifications")
public class EbayPlatformNotifications {

    static final Set<String> LISTING_EVENTS = Set.of("ItemListed", "ItemRevised", "ItemClosed");

    private final PlatformNotificationParser parser;
    private final EbayConfig config;
    private final ObjectMapper json;

    EbayPlatformNotifications(EbayConfig config, PlatformNotificationParser parser, ObjectMapper json, RequiredSettings required) {
        required.verify();
        this.config = config;
        this.parser = parser;
        this.json = json;
    }

    /** Replaces the raw SOAP body with the normalised event, or throws {@link RejectedInput}. */
    public void receive(Exchange exchange) {
        byte[] body = RejectedInput.rawBody(exchange);
        if (body == null || body.length == 0) {
            throw new RejectedInput(400, "empty body: expected a SOAP Platform Notification");
        }
        int limit = config.notification().maxBodyBytes();
        if (body.length > limit) {
            throw new RejectedInput(413, "notification of " + body.length + " bytes exceeds the limit of " + limit + " bytes");
        }
        PlatformNotificationParser.Notification notification = parser.parse(body);
        TradingResponse response = notification.response();
        String signatureTimestamp = response.timestamp;
        if (!PlatformNotificationSignature.verify(notification.signature(), signatureTimestamp,
                config.devId().orElseThrow(), config.appId().orElseThrow(), config.certId().orElseThrow())) {
            throw new RejectedInput(401, "NotificationSignature does not match: not sent by eBay for this application");
        }
        Instant timestamp = parseTimestamp(signatureTimestamp);
        Duration age = Duration.between(timestamp, Instant.now()).abs();
        if (age.compareTo(config.notification().timestampWindow()) > 0) {
            throw new RejectedInput(401, "notification Timestamp " + signatureTimestamp + " is outside the accepted window of "
                    + config.notification().timestampWindow() + ": rejected as a possible replay");
        }
        String eventName = response.notificationEventName;
        if (eventName == null || eventName.isBlank()) {
            throw new RejectedInput(400, "malformed SOAP notification: no NotificationEventName in " + notification.bodyElement());
        }
        exchange.getMessage().setBody(normalise(eventName, timestamp, response, body));
    }

    private InboundEvent normalise(String eventName, Instant timestamp, TradingResponse response, byte[] soap) {
        Item item = response.item;
        String itemId = item == null ? null : item.itemId;
        Transaction transaction = response.transactions == null || response.transactions.isEmpty() ? null : response.transactions.get(0);
        String transactionId = transaction == null ? null : transaction.transactionId;
        String key = "ebay:" + eventName + ":" + (itemId == null ? "-" : itemId)
                + (transactionId == null ? "" : ":" + transactionId) + ":" + response.timestamp;
        Object payload;
        if (LISTING_EVENTS.contains(eventName)) {
            if (itemId == null || itemId.isBlank()) {
                throw new RejectedInput(400, "malformed SOAP notification: " + eventName + " without Item/ItemID");
            }
            payload = listing(eventName, timestamp, item);
        } else {
            String orderId = transaction == null || transaction.containingOrder == null ? null : transaction.containingOrder.orderId;
            // A transaction names its buyer; the sale flow fetches the whole order from eBay, so the
            // notification's personal data is not kept here
            payload = new EbayNotification(eventName, timestamp, itemId, transactionId, orderId,
                    transaction == null ? new String(soap, StandardCharsets.UTF_8) : null);
        }
        try {
            return new InboundEvent("ebay", key, "ebay." + eventName, json.writeValueAsString(payload));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + key, e);
        }
    }

    public static EbayListing listing(String eventName, Instant timestamp, Item item) {
        Item.SellingStatus status = item.sellingStatus;
        var price = item.startPrice != null && item.startPrice.value != null ? item.startPrice
                : status == null ? null : status.currentPrice;
        String barcode = item.productListingDetails == null ? null
                : firstValidBarcode(item.productListingDetails.ean, item.productListingDetails.upc);
        List<String> pictures = item.pictureDetails == null ? null : item.pictureDetails.pictureUrls;
        return new EbayListing(eventName, timestamp, item.itemId, blankToNull(item.sku), item.title,
                item.description, price == null ? null : price.value, price == null ? null : price.currency,
                item.quantity == null ? 0 : item.quantity,
                status == null || status.quantitySold == null ? 0 : status.quantitySold,
                item.primaryCategory == null ? null : item.primaryCategory.categoryId,
                item.primaryCategory == null ? null : item.primaryCategory.categoryName,
                status == null ? null : status.listingStatus, barcode,
                pictures == null || pictures.isEmpty() ? null : pictures.get(0),
                item.variations != null && item.variations.variations != null && !item.variations.variations.isEmpty(),
                variations(item));
    }

    private static List<EbayListing.Variation> variations(Item item) {
        if (item.variations == null || item.variations.variations == null) {
            return List.of();
        }
        List<EbayListing.Variation> variations = new ArrayList<>();
        for (Item.Variation v : item.variations.variations) {
            Map<String, String> specifics = new LinkedHashMap<>();
            if (v.variationSpecifics != null && v.variationSpecifics.nameValueLists != null) {
                for (Item.NameValueList pair : v.variationSpecifics.nameValueLists) {
                    if (pair.name != null && pair.values != null && !pair.values.isEmpty()) {
                        specifics.put(pair.name.trim(), pair.values.get(0).trim()); // a variation has one value per name
                    }
                }
            }
            variations.add(new EbayListing.Variation(blankToNull(v.sku), v.startPrice == null ? null : v.startPrice.value,
                    v.quantity == null ? 0 : v.quantity,
                    v.sellingStatus == null || v.sellingStatus.quantitySold == null ? 0 : v.sellingStatus.quantitySold, specifics));
        }
        return variations;
    }

    /** EAN-13/8, UPC-A or GTIN-14 with a correct check digit; eBay also sends "Does not apply". */
    public static String firstValidBarcode(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && candidate.matches("\\d{8}|\\d{12,14}") && checkDigitOk(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean checkDigitOk(String code) {
        int sum = 0;
        for (int i = code.length() - 2, weight = 3; i >= 0; i--, weight = 4 - weight) {
            sum += (code.charAt(i) - '0') * weight;
        }
        return (10 - sum % 10) % 10 == code.charAt(code.length() - 1) - '0';
    }

    static Instant parseTimestamp(String timestamp) {
        try {
            String trimmed = timestamp.trim();
            Instant usual = eBayTimestamp(trimmed);
            return usual != null ? usual : Instant.parse(trimmed);
        } catch (DateTimeException | NullPointerException e) {
            throw new RejectedInput(400, "malformed SOAP notification: Timestamp '" + timestamp + "' is not ISO-8601");
        }
    }

    /**
     * eBay's own form, {@code 2026-12-07T12:40:08.326Z}, read by position: {@link Instant#parse}'s
     * general formatter cost a third as much as parsing the whole envelope, on every notification
     * (docs/benchmarks.md). Any other form answers null and is left to {@link Instant#parse}.
     */
    private static Instant eBayTimestamp(String s) {
        if (s.length() != 24 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(19) != '.' || s.charAt(23) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4), month = digits(s, 5, 7), day = digits(s, 8, 10), hour = digits(s, 11, 13),
                minute = digits(s, 14, 16), second = digits(s, 17, 19), millis = digits(s, 20, 23);
        if ((year | month | day | hour | minute | second | millis) < 0) {
            return null;
        }
        return LocalDateTime.of(year, month, day, hour, minute, second, millis * 1_000_000).toInstant(ZoneOffset.UTC);
    }

    /** The decimal number in {@code s[from, to)}, or -1 where a character is not a digit. */
    private static int digits(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}

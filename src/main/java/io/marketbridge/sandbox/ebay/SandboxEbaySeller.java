package io.marketbridge.sandbox.ebay;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.config.MarketbridgeConfig;
import io.marketbridge.ebay.PlatformNotificationSignature;
import io.marketbridge.sandbox.SandboxHttp;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated eBay seller: it keeps listings and describes every change as eBay does, in a SOAP
 * Platform Notification signed with the application's keys. Control endpoints under
 * {@code /sandbox/ebay} let tests and people list, revise and end items, and get the signed
 * notification back instead of (or as well as) having it delivered to the webhook.
 */
@Singleton
@Named("sandboxEbaySeller")
public class SandboxEbaySeller {

    /** Where the seller lists (id, colon-separated path); the simulated category tree holds these too. */
    static final List<String[]> DEMO_CATEGORIES = List.of(
            new String[] {"31388", "Cameras & Photo:Digital Cameras"},
            new String[] {"15032", "Cell Phones & Accessories:Cell Phones & Smartphones"},
            new String[] {"80053", "Computers/Tablets & Networking:Monitors, Projectors & Accs:Monitors"},
            new String[] {"11450", "Clothing, Shoes & Accessories"});

    /** A listing as the seller sees it on eBay; a multi-variation listing names its variations. */
    public record Listing(String itemId, String sku, String title, String description, BigDecimal price, String currency,
            int quantity, int quantitySold, String categoryId, String categoryName, String ean, String status,
            List<Variation> variations) {
    }

    /** One variation: its SKU, price, quantities and specifics ({"Color": "Red", "Size": "M"}). */
    public record Variation(String sku, BigDecimal price, int quantity, int quantitySold, Map<String, String> specifics) {
    }

    private final MarketbridgeConfig.Ebay ebay;
    private final ObjectMapper json;
    private final ProducerTemplate camel;
    private final Map<String, Listing> listings = new ConcurrentHashMap<>();
    private final AtomicLong itemIds = new AtomicLong(110_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L) * 100);

    SandboxEbaySeller(MarketbridgeConfig config, ObjectMapper json, ProducerTemplate camel) {
        this.ebay = config.ebay();
        this.json = json;
        this.camel = camel;
    }

    void mount(@Observes Router router, MarketbridgeConfig config) {
        if (!config.sandbox().enabled()) {
            return;
        }
        router.route("/sandbox/ebay/*").handler(BodyHandler.create().setBodyLimit(1024 * 1024));
        router.get("/sandbox/ebay").handler(ctx -> send(ctx.response(), 200, Map.of("sandbox", "ebay", "listings", listings.size())));
        router.post("/sandbox/ebay/listings").blockingHandler(ctx -> act(ctx, "ItemListed", list(body(ctx))));
        router.post("/sandbox/ebay/listings/:itemId/revise").blockingHandler(ctx -> act(ctx, "ItemRevised",
                revise(ctx.pathParam("itemId"), body(ctx))));
        router.post("/sandbox/ebay/listings/:itemId/end").blockingHandler(ctx -> act(ctx, "ItemClosed",
                end(ctx.pathParam("itemId"))));
        router.post("/sandbox/ebay/notifications").handler(this::anyNotification);
    }

    // --- the seller's actions ----------------------------------------------------------------

    public Listing list(Map<String, Object> request) {
        String itemId = String.valueOf(itemIds.incrementAndGet());
        String[] category = DEMO_CATEGORIES.get(ThreadLocalRandom.current().nextInt(DEMO_CATEGORIES.size()));
        Listing listing = new Listing(itemId, (String) request.get("sku"),
                String.valueOf(request.getOrDefault("title", "Sandbox item " + itemId)),
                (String) request.get("description"), decimal(request.getOrDefault("price", "19.99")),
                String.valueOf(request.getOrDefault("currency", "USD")), integer(request.getOrDefault("quantity", 5)),
                integer(request.getOrDefault("quantitySold", 0)),
                String.valueOf(request.getOrDefault("categoryId", category[0])),
                String.valueOf(request.getOrDefault("categoryName", category[1])), (String) request.get("ean"), "Active",
                variations(request.get("variations")));
        listings.put(itemId, listing);
        return listing;
    }

    public Listing revise(String itemId, Map<String, Object> changes) {
        Listing l = existing(itemId);
        Listing revised = new Listing(itemId, l.sku(), String.valueOf(changes.getOrDefault("title", l.title())),
                (String) changes.getOrDefault("description", l.description()),
                changes.containsKey("price") ? decimal(changes.get("price")) : l.price(), l.currency(),
                changes.containsKey("quantity") ? integer(changes.get("quantity")) : l.quantity(),
                changes.containsKey("quantitySold") ? integer(changes.get("quantitySold")) : l.quantitySold(),
                l.categoryId(), l.categoryName(), l.ean(), l.status(),
                changes.containsKey("variations") ? variations(changes.get("variations")) : l.variations());
        listings.put(itemId, revised);
        return revised;
    }

    public Listing end(String itemId) {
        Listing l = existing(itemId);
        Listing ended = new Listing(itemId, l.sku(), l.title(), l.description(), l.price(), l.currency(), l.quantity(),
                l.quantitySold(), l.categoryId(), l.categoryName(), l.ean(), "Completed", l.variations());
        listings.put(itemId, ended);
        return ended;
    }

    /** The demo's trickle: mostly new listings, sometimes a price revision. */
    public void randomActivity(Exchange exchange) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String eventName;
        Listing listing;
        List<Listing> active = listings.values().stream().filter(l -> l.status().equals("Active")).toList();
        if (active.size() > 3 && random.nextInt(3) == 0) {
            Listing pick = active.get(random.nextInt(active.size()));
            BigDecimal price = pick.price().multiply(BigDecimal.valueOf(0.9 + random.nextDouble(0.2))).setScale(2, RoundingMode.HALF_UP);
            listing = revise(pick.itemId(), Map.of("price", price));
            eventName = "ItemRevised";
        } else {
            String sku = "DEMO-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
            listing = list(Map.of("sku", sku, "title", "Demo product " + sku,
                    "price", BigDecimal.valueOf(random.nextInt(500, 20000), 2), "quantity", random.nextInt(1, 40),
                    "description", "<p>A <b>demo</b> listing from the simulated eBay seller.</p>"));
            eventName = "ItemListed";
        }
        exchange.getMessage().setHeader("SOAPAction", soapAction(eventName));
        exchange.getMessage().setBody(notification(eventName, listing, Instant.now()));
    }

    private void act(RoutingContext ctx, String eventName, Listing listing) {
        String xml = notification(eventName, listing, Instant.now());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("itemId", listing.itemId());
        answer.put("sku", listing.sku());
        answer.put("eventName", eventName);
        if (!"false".equals(ctx.queryParams().get("deliver"))) {
            answer.put("deliveredStatus", deliver(eventName, xml));
        }
        answer.put("notification", xml);
        send(ctx.response(), 200, answer);
    }

    /** Delivers through the {@code sandbox-ebay-deliver} route, as eBay would over HTTP. */
    public Object deliver(String eventName, String xml) {
        Exchange result = camel.request("direct:sandbox-ebay-deliver", e -> {
            e.getMessage().setHeader("SOAPAction", soapAction(eventName));
            e.getMessage().setBody(xml);
        });
        return result.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE);
    }

    /** {@code {"eventName":"FixedPriceTransaction","itemId":"...","timestamp":"..."}}: any signed notification. */
    private void anyNotification(RoutingContext ctx) {
        Map<String, Object> request = body(ctx);
        String eventName = String.valueOf(request.getOrDefault("eventName", "ItemListed"));
        Instant timestamp = request.containsKey("timestamp") ? Instant.parse(String.valueOf(request.get("timestamp"))) : Instant.now();
        Listing listing = request.containsKey("itemId") ? listings.get(String.valueOf(request.get("itemId"))) : null;
        if (listing == null) {
            listing = list(request);
        }
        ctx.response().putHeader("Content-Type", "text/xml").end(notification(eventName, listing, timestamp,
                (String) request.get("orderId")));
    }

    // --- the wire format ---------------------------------------------------------------------

    /** A Platform Notification as eBay sends it, signed over its own Timestamp. */
    public String notification(String eventName, Listing listing, Instant at) {
        return notification(eventName, listing, at, null);
    }

    /** The same, naming {@code orderId} as the transaction's containing order (a generated one if null). */
    public String notification(String eventName, Listing listing, Instant at, String orderId) {
        String timestamp = DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.MILLIS));
        String signature = PlatformNotificationSignature.sign(timestamp, ebay.devId().orElseThrow(), ebay.appId().orElseThrow(),
                ebay.certId().orElseThrow());
        boolean transaction = List.of("FixedPriceTransaction", "AuctionCheckoutComplete", "EndOfAuction").contains(eventName);
        String response = transaction ? "GetItemTransactionsResponse" : "GetItemResponse";
        StringBuilder xml = new StringBuilder(2048)
                .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"")
                .append(" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n")
                .append(" <soapenv:Header>\n  <ebl:RequesterCredentials soapenv:mustUnderstand=\"0\"")
                .append(" xmlns:ebl=\"urn:ebay:apis:eBLBaseComponents\">\n")
                .append("   <ebl:NotificationSignature xmlns:ebl=\"urn:ebay:apis:eBLBaseComponents\">").append(signature)
                .append("</ebl:NotificationSignature>\n  </ebl:RequesterCredentials>\n </soapenv:Header>\n <soapenv:Body>\n")
                .append("  <").append(response).append(" xmlns=\"urn:ebay:apis:eBLBaseComponents\">\n")
                .append("   <Timestamp>").append(timestamp).append("</Timestamp>\n")
                .append("   <Ack>Success</Ack>\n")
                .append("   <CorrelationID>").append(UUID.randomUUID().toString().replace("-", "").substring(0, 12)).append("</CorrelationID>\n")
                .append("   <Version>1349</Version>\n   <Build>E1349_CORE_APISELLING_SANDBOX</Build>\n")
                .append("   <NotificationEventName>").append(eventName).append("</NotificationEventName>\n")
                .append("   <RecipientUserID>sandbox_seller</RecipientUserID>\n");
        item(xml, listing);
        if (transaction) {
            xml.append("   <TransactionArray><Transaction><TransactionID>").append(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L))
                    .append("</TransactionID><QuantityPurchased>1</QuantityPurchased><ContainingOrder><OrderID>")
                    .append(orderId != null ? escape(orderId)
                            : listing.itemId() + "-" + ThreadLocalRandom.current().nextInt(100_000, 999_999))
                    .append("</OrderID></ContainingOrder></Transaction></TransactionArray>\n");
        }
        return xml.append("  </").append(response).append(">\n </soapenv:Body>\n</soapenv:Envelope>\n").toString();
    }

    private static void item(StringBuilder xml, Listing l) {
        xml.append("   <Item>\n    <AutoPay>false</AutoPay>\n    <Country>US</Country>\n    <Currency>").append(l.currency())
                .append("</Currency>\n");
        if (l.description() != null) {
            xml.append("    <Description>").append(escape(l.description())).append("</Description>\n");
        }
        xml.append("    <ItemID>").append(l.itemId()).append("</ItemID>\n    <ListingType>FixedPriceItem</ListingType>\n")
                .append("    <PrimaryCategory><CategoryID>").append(escape(l.categoryId())).append("</CategoryID><CategoryName>")
                .append(escape(l.categoryName())).append("</CategoryName></PrimaryCategory>\n");
        if (l.ean() != null) {
            xml.append("    <ProductListingDetails><EAN>").append(escape(l.ean())).append("</EAN></ProductListingDetails>\n");
        }
        xml.append("    <Quantity>").append(l.quantity()).append("</Quantity>\n")
                .append("    <SellingStatus><CurrentPrice currencyID=\"").append(l.currency()).append("\">").append(l.price().toPlainString())
                .append("</CurrentPrice><QuantitySold>").append(l.quantitySold()).append("</QuantitySold><ListingStatus>")
                .append(l.status()).append("</ListingStatus></SellingStatus>\n");
        if (l.sku() != null) {
            xml.append("    <SKU>").append(escape(l.sku())).append("</SKU>\n");
        }
        xml.append("    <StartPrice currencyID=\"").append(l.currency()).append("\">").append(l.price().toPlainString())
                .append("</StartPrice>\n    <Title>").append(escape(l.title())).append("</Title>\n");
        if (!l.variations().isEmpty()) {
            xml.append("    <Variations>\n");
            for (Variation v : l.variations()) {
                xml.append("     <Variation>");
                if (v.sku() != null) {
                    xml.append("<SKU>").append(escape(v.sku())).append("</SKU>");
                }
                xml.append("<StartPrice currencyID=\"").append(l.currency()).append("\">").append(v.price().toPlainString())
                        .append("</StartPrice><Quantity>").append(v.quantity()).append("</Quantity><SellingStatus><QuantitySold>")
                        .append(v.quantitySold()).append("</QuantitySold></SellingStatus><VariationSpecifics>");
                v.specifics().forEach((name, value) -> xml.append("<NameValueList><Name>").append(escape(name)).append("</Name><Value>")
                        .append(escape(value)).append("</Value></NameValueList>"));
                xml.append("</VariationSpecifics></Variation>\n");
            }
            xml.append("    </Variations>\n");
        }
        xml
                .append("    <PictureDetails><PictureURL>https://i.ebayimg.com/images/g/sandbox/").append(l.itemId())
                .append(".jpg</PictureURL></PictureDetails>\n   </Item>\n");
    }

    /** {@code <Item>...</Item>} of a listing, as GetItem answers it. */
    Optional<String> itemElement(String itemId) {
        Listing listing = listings.get(itemId);
        if (listing == null) {
            return Optional.empty();
        }
        StringBuilder xml = new StringBuilder();
        item(xml, listing);
        return Optional.of(xml.toString());
    }

    public static String soapAction(String eventName) {
        return "\"https://developer.ebay.com/notification/" + eventName + "\"";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    // --- helpers -------------------------------------------------------------------------------

    private Listing existing(String itemId) {
        Listing listing = listings.get(itemId);
        if (listing == null) {
            throw new IllegalArgumentException("no sandbox listing " + itemId);
        }
        return listing;
    }

    private Map<String, Object> body(RoutingContext ctx) {
        return SandboxHttp.readObject(json, ctx);
    }

    private void send(HttpServerResponse response, int status, Object body) {
        SandboxHttp.reply(json, response, status, body);
    }

    @SuppressWarnings("unchecked")
    private static List<Variation> variations(Object given) {
        if (given == null) {
            return List.of();
        }
        return ((List<Map<String, Object>>) given).stream().map(v -> new Variation((String) v.get("sku"),
                decimal(v.getOrDefault("price", "19.99")), integer(v.getOrDefault("quantity", 1)), integer(v.getOrDefault("quantitySold", 0)),
                new LinkedHashMap<>((Map<String, String>) v.get("specifics")))).toList();
    }

    private static BigDecimal decimal(Object value) {
        return new BigDecimal(String.valueOf(value));
    }

    private static int integer(Object value) {
        return value instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(value));
    }
}

package io.marketbridge.sandbox.ebay;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.ebay.EbayConfig;
import io.marketbridge.ebay.notifications.PlatformNotificationSignature;
import io.marketbridge.sandbox.SandboxHttp;
import io.marketbridge.sandbox.SandboxSettings;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

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
 * <p>
 * Its listings are the seller's Seller Hub / Trading API listings, which have no Inventory API offer; those of
 * {@link SandboxEbayInventory} are the other kind. The Trading calls for both ({@code /ws/api.dll}, dispatched by
 * {@link SandboxEbayNotificationApi}): {@code GetMyeBaySelling} pages through the active listings of both kinds
 * (ActiveList, at most 200 a page, variations included), and {@code ReviseInventoryStatus} revises the price and
 * quantity of at most four of this seller's listings or variations a call, every InventoryStatus on its own (an
 * unknown ItemID is eBay's error 17, an ended listing 291, a SKU the listing does not sell 21916799, each naming
 * the item in its ErrorParameters; a revision that changes nothing is warning 21917091). Counts:
 * {@code GET /sandbox/ebay/_trading/stats}; one listing: {@code GET /sandbox/ebay/listings/{itemId}}.
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

    /** A Trading API answer's Ack and the content after its standard fields. */
    public record TradingAnswer(String ack, String content) {
    }

    static final String EBL = "urn:ebay:apis:eBLBaseComponents";
    /** eBay's limits: InventoryStatus per ReviseInventoryStatus, entries per GetMyeBaySelling page. */
    static final int MAX_REVISE = 4;
    static final int MAX_ENTRIES = 200;

    private final EbayConfig ebay;
    private final ObjectMapper json;
    private final ProducerTemplate camel;
    private final SandboxEbayInventory inventory;
    private final Map<String, AtomicLong> tradingStats = new ConcurrentHashMap<>();
    /** The items (ItemID, else SKU) each ReviseInventoryStatus call named, newest last: tests tell their own calls apart. */
    private final java.util.Deque<List<String>> revisions = new java.util.ArrayDeque<>();
    private final Map<String, Listing> listings = new ConcurrentHashMap<>();
    private final AtomicLong itemIds = new AtomicLong(110_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L) * 100);

    SandboxEbaySeller(EbayConfig config, ObjectMapper json, ProducerTemplate camel, SandboxEbayInventory inventory) {
        this.ebay = config;
        this.json = json;
        this.camel = camel;
        this.inventory = inventory;
    }

    void mount(@Observes Router router, SandboxSettings sandbox) {
        if (!sandbox.enabled()) {
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
        router.get("/sandbox/ebay/listings/:itemId").handler(ctx -> {
            Listing listing = listings.get(ctx.pathParam("itemId"));
            send(ctx.response(), listing == null ? 404 : 200, listing == null ? Map.of("error", "no sandbox listing") : listing);
        });
        router.get("/sandbox/ebay/_trading/stats").handler(ctx -> {
            Map<String, Long> stats = new java.util.TreeMap<>();
            tradingStats.forEach((name, count) -> stats.put(name, count.get()));
            send(ctx.response(), 200, stats);
        });
        router.get("/sandbox/ebay/_trading/revisions").handler(ctx -> {
            synchronized (this) {
                send(ctx.response(), 200, List.copyOf(revisions));
            }
        });
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

    // --- Trading API: the seller's listings ------------------------------------------------------

    /** The Trading calls about listings this simulator answers; empty for any other call. */
    public Optional<TradingAnswer> trading(String call, Element request) {
        return switch (call) {
            case "ReviseInventoryStatus" -> Optional.of(reviseInventoryStatus(request));
            case "GetMyeBaySelling" -> Optional.of(myEbaySelling(request));
            default -> Optional.empty();
        };
    }

    private synchronized TradingAnswer reviseInventoryStatus(Element request) {
        count("ReviseInventoryStatus.calls");
        List<Element> statuses = children(request, "InventoryStatus");
        if (statuses.isEmpty() || statuses.size() > MAX_REVISE) {
            return new TradingAnswer("Failure", tradingError("37", "Input data is invalid.", "Input data for tag <InventoryStatus> is invalid"
                    + " or missing: between 1 and " + MAX_REVISE + " are allowed, got " + statuses.size() + ".", "Error"));
        }
        if (revisions.size() == 500) {
            revisions.removeFirst();
        }
        revisions.addLast(statuses.stream().map(status -> text(status, "ItemID") != null ? text(status, "ItemID") : String.valueOf(text(status, "SKU")))
                .toList());
        StringBuilder revisedXml = new StringBuilder();
        StringBuilder errors = new StringBuilder();
        int revised = 0, failed = 0;
        for (Element status : statuses) {
            String itemId = text(status, "ItemID");
            String sku = text(status, "SKU");
            String priceText = text(status, "StartPrice");
            String quantityText = text(status, "Quantity");
            Listing listing = itemId != null ? listings.get(itemId)
                    : listings.values().stream().filter(l -> sku != null && sku.equals(l.sku())).findFirst().orElse(null);
            String named = itemId != null ? itemId : String.valueOf(sku);
            if (priceText == null && quantityText == null) {
                errors.append(tradingError("37", "Input data is invalid.", "StartPrice or Quantity is required for item " + named + ".", "Error", named));
                failed++;
                continue;
            }
            if (listing == null) {
                errors.append(tradingError("17", "Item not found.", "The item ID " + named + " is invalid or the item does not exist.", "Error", named));
                failed++;
                continue;
            }
            if (!listing.status().equals("Active")) {
                errors.append(tradingError("291", "Auction ended.", "You are not allowed to revise ended listings.", "Error", listing.itemId()));
                failed++;
                continue;
            }
            Variation variation = listing.variations().stream().filter(v -> sku != null && sku.equals(v.sku())).findFirst().orElse(null);
            boolean mismatch = listing.variations().isEmpty() ? sku != null && !sku.equals(listing.sku()) : variation == null;
            if (mismatch) {
                errors.append(tradingError("21916799", "SKU Mismatch", "SKU does not exist in Non-ManageBySKU item specified by ItemID.", "Error",
                        String.valueOf(sku), listing.itemId()));
                failed++;
                continue;
            }
            BigDecimal price = priceText == null ? null : new BigDecimal(priceText).setScale(2, RoundingMode.HALF_UP);
            Integer available = quantityText == null ? null : Math.max(0, Integer.parseInt(quantityText));
            boolean redundant;
            Listing after;
            BigDecimal newPrice;
            int newAvailable;
            if (variation == null) {
                newPrice = price == null ? listing.price() : price;
                newAvailable = available == null ? listing.quantity() - listing.quantitySold() : available;
                redundant = newPrice.compareTo(listing.price()) == 0 && newAvailable == listing.quantity() - listing.quantitySold();
                after = new Listing(listing.itemId(), listing.sku(), listing.title(), listing.description(), newPrice, listing.currency(),
                        listing.quantitySold() + newAvailable, listing.quantitySold(), listing.categoryId(), listing.categoryName(), listing.ean(),
                        listing.status(), listing.variations());
            } else {
                newPrice = price == null ? variation.price() : price;
                newAvailable = available == null ? variation.quantity() - variation.quantitySold() : available;
                redundant = newPrice.compareTo(variation.price()) == 0 && newAvailable == variation.quantity() - variation.quantitySold();
                Variation revisedVariation = new Variation(variation.sku(), newPrice, variation.quantitySold() + newAvailable,
                        variation.quantitySold(), variation.specifics());
                after = new Listing(listing.itemId(), listing.sku(), listing.title(), listing.description(), listing.price(), listing.currency(),
                        listing.quantity(), listing.quantitySold(), listing.categoryId(), listing.categoryName(), listing.ean(), listing.status(),
                        listing.variations().stream().map(v -> v == variation ? revisedVariation : v).toList());
            }
            if (redundant) {
                errors.append(tradingError("21917091", "Requested StartPrice and Quantity revision is redundant.", "The existing price and"
                        + " quantity values are identical to those specified in the request and, therefore, have not been modified.", "Warning",
                        listing.itemId()));
            }
            listings.put(listing.itemId(), after);
            revised++;
            revisedXml.append("<InventoryStatus><SKU>").append(escape(variation != null ? variation.sku() : listing.sku() == null ? "" : listing.sku()))
                    .append("</SKU><ItemID>").append(listing.itemId()).append("</ItemID><StartPrice currencyID=\"").append(listing.currency())
                    .append("\">").append(newPrice.toPlainString()).append("</StartPrice><Quantity>").append(newAvailable)
                    .append("</Quantity></InventoryStatus>");
        }
        count("ReviseInventoryStatus.revised", revised);
        count("ReviseInventoryStatus.refused", failed);
        String ack = failed == 0 ? (errors.length() > 0 ? "Warning" : "Success") : revised == 0 ? "Failure" : "PartialFailure";
        return new TradingAnswer(ack, revisedXml.toString() + errors);
    }

    /** ActiveList: this seller's active listings (by ItemID), then the published Inventory API listings, a page at a time. */
    private TradingAnswer myEbaySelling(Element request) {
        count("GetMyeBaySelling.calls");
        Element activeList = children(request, "ActiveList").stream().findFirst().orElse(null);
        if (activeList == null || !"true".equals(text(activeList, "Include"))) {
            return new TradingAnswer("Success", "");
        }
        Element pagination = children(activeList, "Pagination").stream().findFirst().orElse(null);
        int entries = Math.min(MAX_ENTRIES, Math.max(1, pagination == null ? 25 : integer(Optional.ofNullable(text(pagination, "EntriesPerPage")).orElse("25"))));
        int pageNumber = Math.max(1, pagination == null ? 1 : integer(Optional.ofNullable(text(pagination, "PageNumber")).orElse("1")));
        List<Listing> own = listings.values().stream().filter(l -> l.status().equals("Active"))
                .sorted(java.util.Comparator.comparing(Listing::itemId)).toList();
        int from = (pageNumber - 1) * entries;
        StringBuilder items = new StringBuilder();
        for (int i = from; i < Math.min(own.size(), from + entries); i++) {
            activeItem(items, own.get(i));
        }
        int inventoryFrom = Math.max(0, from - own.size());
        int inventoryCount = Math.max(0, from + entries - Math.max(from, own.size()));
        int[] inventoryTotal = new int[1];
        for (SandboxEbayInventory.PublishedListing published : inventory.publishedListings(inventoryFrom, inventoryCount, inventoryTotal,
                own.stream().map(Listing::itemId).collect(java.util.stream.Collectors.toSet()))) {
            activeItem(items, published);
        }
        int total = own.size() + inventoryTotal[0];
        if (total == 0) {
            return new TradingAnswer("Success", ""); // eBay leaves ActiveList out when nothing is active
        }
        int pages = (total + entries - 1) / entries;
        return new TradingAnswer("Success", "<ActiveList><ItemArray>" + items + "</ItemArray><PaginationResult><TotalNumberOfPages>" + pages
                + "</TotalNumberOfPages><TotalNumberOfEntries>" + total + "</TotalNumberOfEntries></PaginationResult></ActiveList>");
    }

    private static void activeItem(StringBuilder xml, Listing l) {
        xml.append("<Item><ItemID>").append(l.itemId()).append("</ItemID><ListingType>FixedPriceItem</ListingType><Quantity>")
                .append(l.quantity()).append("</Quantity><QuantityAvailable>").append(Math.max(0, l.quantity() - l.quantitySold()))
                .append("</QuantityAvailable><SellingStatus><CurrentPrice currencyID=\"").append(l.currency()).append("\">")
                .append(l.price().toPlainString()).append("</CurrentPrice><QuantitySold>").append(l.quantitySold())
                .append("</QuantitySold></SellingStatus>");
        if (l.sku() != null) {
            xml.append("<SKU>").append(escape(l.sku())).append("</SKU>");
        }
        xml.append("<StartPrice currencyID=\"").append(l.currency()).append("\">").append(l.price().toPlainString()).append("</StartPrice><Title>")
                .append(escape(l.title())).append("</Title>");
        if (!l.variations().isEmpty()) {
            xml.append("<Variations>");
            for (Variation v : l.variations()) {
                xml.append("<Variation>");
                if (v.sku() != null) {
                    xml.append("<SKU>").append(escape(v.sku())).append("</SKU>");
                }
                xml.append("<StartPrice currencyID=\"").append(l.currency()).append("\">").append(v.price().toPlainString())
                        .append("</StartPrice><Quantity>").append(v.quantity()).append("</Quantity><SellingStatus><QuantitySold>")
                        .append(v.quantitySold()).append("</QuantitySold></SellingStatus></Variation>");
            }
            xml.append("</Variations>");
        }
        xml.append("</Item>");
    }

    private static void activeItem(StringBuilder xml, SandboxEbayInventory.PublishedListing l) {
        int available = l.skus().stream().mapToInt(SandboxEbayInventory.PublishedSku::available).sum();
        BigDecimal price = l.skus().get(0).price();
        xml.append("<Item><ItemID>").append(l.listingId()).append("</ItemID><ListingType>FixedPriceItem</ListingType><Quantity>").append(available)
                .append("</Quantity><QuantityAvailable>").append(available).append("</QuantityAvailable><SellingStatus><CurrentPrice currencyID=\"")
                .append(l.currency()).append("\">").append(price.toPlainString()).append("</CurrentPrice><QuantitySold>0</QuantitySold></SellingStatus>");
        if (!l.group()) {
            xml.append("<SKU>").append(escape(l.skus().get(0).sku())).append("</SKU>");
        }
        xml.append("<StartPrice currencyID=\"").append(l.currency()).append("\">").append(price.toPlainString()).append("</StartPrice><Title>")
                .append(escape(l.title())).append("</Title>");
        if (l.group()) {
            xml.append("<Variations>");
            l.skus().forEach(v -> xml.append("<Variation><SKU>").append(escape(v.sku())).append("</SKU><StartPrice currencyID=\"").append(l.currency())
                    .append("\">").append(v.price().toPlainString()).append("</StartPrice><Quantity>").append(v.available())
                    .append("</Quantity><SellingStatus><QuantitySold>0</QuantitySold></SellingStatus></Variation>"));
            xml.append("</Variations>");
        }
        xml.append("</Item>");
    }

    /** One Errors element; {@code parameters} become ErrorParameters (eBay names the item concerned there). */
    private static String tradingError(String code, String shortMessage, String longMessage, String severity, String... parameters) {
        StringBuilder xml = new StringBuilder("<Errors><ShortMessage>").append(escape(shortMessage)).append("</ShortMessage><LongMessage>")
                .append(escape(longMessage)).append("</LongMessage><ErrorCode>").append(code).append("</ErrorCode><SeverityCode>").append(severity)
                .append("</SeverityCode>");
        for (int i = 0; i < parameters.length; i++) {
            xml.append("<ErrorParameters ParamID=\"").append(i).append("\"><Value>").append(escape(parameters[i])).append("</Value></ErrorParameters>");
        }
        return xml.append("<ErrorClassification>RequestError</ErrorClassification></Errors>").toString();
    }

    private void count(String name) {
        count(name, 1);
    }

    private void count(String name, long by) {
        tradingStats.computeIfAbsent(name, n -> new AtomicLong()).addAndGet(by);
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> found = new java.util.ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && localName.equals(element.getLocalName()) && EBL.equals(element.getNamespaceURI())) {
                found.add(element);
            }
        }
        return found;
    }

    private static String text(Element parent, String localName) {
        List<Element> found = children(parent, localName);
        String text = found.isEmpty() ? "" : found.get(0).getTextContent().trim();
        return text.isEmpty() ? null : text;
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

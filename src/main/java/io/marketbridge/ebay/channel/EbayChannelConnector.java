package io.marketbridge.ebay.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketbridge.channels.CatalogItem;
import io.marketbridge.channels.ChannelConnector;
import io.marketbridge.channels.PushResult;
import io.marketbridge.ebay.EbayConfig;
import io.marketbridge.ebay.account.EbayTokens;
import io.marketbridge.ebay.api.EbayApi;
import io.marketbridge.ebay.api.EbayBackoff;
import io.marketbridge.ebay.api.EbayInventoryItems;
import io.marketbridge.ebay.listings.EbayListings;
import io.marketbridge.ebay.listings.EbayTradingListings;
import io.marketbridge.pipeline.Database;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.TransientFailure;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * Odoo's price and quantity on the seller's eBay listings: one {@code bulk_update_price_quantity} per batch of at
 * most 25 SKUs, each SKU's published offer on the configured marketplace resolved once with getOffers and kept (in
 * memory and in {@code ebay_offer}, so a restart does not look up the catalog again). Every per-entry answer is read:
 * 200 is accepted, eBay's system error (25001) or a 5xx entry is retried, an offer eBay no longer knows is forgotten
 * and retried (looked up again next time), any other error is refused with eBay's error id and message. 429 and 5xx
 * of the whole call are transient (a 429 holds the Inventory API until its quota resets), other refusals permanent.
 * <p>
 * A SKU without a published offer whose active listing is known ({@link EbayTradingListings}: a listing made in
 * Seller Hub or with the Trading API, imported from eBay or seen in the seller's active list) gets its price and
 * quantity with Trading {@code ReviseInventoryStatus} instead, four items a call, each with its own outcome.
 */
@Singleton
public class EbayChannelConnector implements ChannelConnector {

    public static final String CHANNEL = "ebay";
    /** eBay's limit of entries per bulk_update_price_quantity. */
    public static final int MAX_BATCH = 25;
    static final String BULK_UPDATE = "/sell/inventory/v1/bulk_update_price_quantity";
    private static final String OFFERS_OF_SKU = "/sell/inventory/v1/offer?sku=";
    /** eBay's system error: the entry is worth sending again. */
    private static final int SYSTEM_ERROR = 25001;
    /** The inventory item (25710) or the offer (25713) no longer exists on eBay: the resolved offer is stale. */
    private static final Set<Integer> GONE = Set.of(25710, 25713);
    private static final String NO_OFFER = "no published eBay offer and no active eBay listing known for SKU";
    /** SKUs per {@code IN (...)} when reading stored offers. */
    private static final int LOAD_CHUNK = 500;
    private static final int MAX_ERROR_TEXT = 500;
    private static final Logger LOG = Logger.getLogger(EbayChannelConnector.class);

    /**
     * What getOffers said about a SKU on a marketplace: its published offer, or none ({@code offerId} null).
     * {@code currency} is the offer's price currency (null when eBay did not say).
     */
    record Offer(String offerId, String marketplaceId, String currency, Instant resolvedAt) {
        boolean published() {
            return offerId != null;
        }
    }

    /** Offers of the SKUs asked about, and the SKUs eBay refused to look up (with its reason). */
    private record Resolution(Map<String, Offer> offers, Map<String, String> refused) {
    }

    private final EbayApi ebay;
    private final EbayTradingListings trading;
    private final EbayListings listings;
    private final EbayTokens tokens;
    private final EbayBackoff backoff;
    private final Database db;
    private final ObjectMapper json;
    private final String marketplace;
    private final Duration noOfferRecheck;
    private final int inventoryPageSize;
    /** SKU → what is known about its offer; the {@code ebay_offer} table is the durable copy. */
    private final Map<String, Offer> offers = new ConcurrentHashMap<>();

    EbayChannelConnector(EbayApi ebay, EbayTradingListings trading, EbayListings listings, EbayTokens tokens, EbayBackoff backoff,
            Database db, ObjectMapper json, EbayConfig config) {
        this.ebay = ebay;
        this.trading = trading;
        this.listings = listings;
        this.tokens = tokens;
        this.backoff = backoff;
        this.db = db;
        this.json = json;
        this.marketplace = config.push().marketplace();
        this.noOfferRecheck = config.push().noOfferRecheck();
        this.inventoryPageSize = config.inventory().pageSize();
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    /** eBay enabled and a seller connected, and not paused by a revoked authorization. */
    @Override
    public boolean enabled() {
        return tokens.sellerCallsAllowed();
    }

    @Override
    public int maxBatch() {
        return MAX_BATCH;
    }

    /** Of these SKUs, those with a published offer as far as already known: memory, then one read of {@code ebay_offer} per 500. */
    public Set<String> withKnownOffer(Collection<String> skus) {
        Set<String> listed = new LinkedHashSet<>();
        known(skus).forEach((sku, offer) -> {
            if (offer.published() && marketplace.equals(offer.marketplaceId())) {
                listed.add(sku);
            }
        });
        return listed;
    }

    /**
     * Of these SKUs, those eBay sells as far as already known: a published offer on the marketplace, or an active
     * listing without one (Seller Hub, Trading API) that sells the SKU.
     */
    public Set<String> withKnownListing(Collection<String> skus) {
        Set<String> listed = withKnownOffer(skus);
        listed.addAll(trading.known(skus).keySet());
        return listed;
    }

    /** SKUs with an eBay offer or an active eBay listing we know of, or a listing imported from eBay. */
    @Override
    public Set<String> listedHere(Collection<String> skus) throws SQLException {
        Set<String> listed = new HashSet<>(withKnownListing(skus));
        listed.addAll(listings.activeSkus(List.copyOf(skus)));
        return listed;
    }

    /**
     * Before a full sync: learns which SKUs the seller lists on eBay and resolves their offers, so the
     * routing rule "listed on eBay" sees every listed SKU without a call per catalog SKU.
     */
    @Override
    public void prepareFullSync(Executor workers, int parallel, BooleanSupplier cancelled) {
        discoverOffers(workers, parallel, cancelled);
    }

    /** An offer eBay said was gone is looked up again. */
    @Override
    public void beforeRetry(String sku) {
        resolveOffers(List.of(sku));
    }

    /**
     * Only SKUs with a published offer or an active listing we know: one we lost track of is not zeroed on a guess
     * (the next full sync relearns it).
     */
    @Override
    public Set<String> knownToShow(Collection<String> skus) {
        return withKnownListing(skus);
    }

    /**
     * SKU → offerId of each SKU with a published offer on the marketplace. Known ones come from memory or
     * {@code ebay_offer}; the others cost one getOffers call each and are stored, "no offer" included (asked again
     * after {@code marketbridge.ebay.push.no-offer-recheck}).
     */
    public Map<String, String> resolveOffers(Collection<String> skus) {
        requireAllowed();
        Map<String, String> offerIds = new LinkedHashMap<>();
        resolve(skus).offers().forEach((sku, offer) -> {
            if (offer.published()) {
                offerIds.put(sku, offer.offerId());
            }
        });
        return offerIds;
    }

    /**
     * Learns which SKUs the seller has on eBay, for a full sync: the inventory read a page at a time
     * (getInventoryItems, each next page the one eBay links), and one getOffers, up to {@code parallel}
     * at once, for each SKU whose offer is not known yet (or whose "no offer" is due for a recheck). A
     * catalog SKU eBay does not hold costs no call. Returns how many getOffers calls it made.
     */
    public int discoverOffers(Executor workers, int parallel, BooleanSupplier cancelled) {
        requireAllowed();
        int lookups = 0;
        for (String page = EbayInventoryItems.firstPage(inventoryPageSize); page != null && !cancelled.getAsBoolean(); ) {
            JsonNode answer = ebay.get(page);
            JsonNode items = answer.path("inventoryItems");
            List<String> skus = new ArrayList<>();
            items.forEach(item -> {
                if (!item.path("sku").asText("").isBlank()) {
                    skus.add(item.path("sku").asText());
                }
            });
            Instant now = Instant.now();
            Map<String, Offer> known = known(skus);
            List<String> unknown = skus.stream().filter(sku -> known.get(sku) == null || !current(known.get(sku), now)).toList();
            Map<String, String> refused = new ConcurrentHashMap<>();
            Map<String, Offer> resolved = new ConcurrentHashMap<>();
            for (int from = 0; from < unknown.size(); from += parallel) {
                CompletableFuture.allOf(unknown.subList(from, Math.min(unknown.size(), from + parallel)).stream()
                        .map(sku -> CompletableFuture.runAsync(() -> lookUp(sku, refused).ifPresent(offer -> resolved.put(sku, offer)), workers))
                        .toArray(CompletableFuture[]::new)).join();
            }
            storeAll(resolved);
            offers.putAll(resolved);
            refused.forEach((sku, reason) -> LOG.warnf("eBay inventory SKU %s: %s", sku, reason));
            lookups += unknown.size();
            page = EbayInventoryItems.nextPage(answer, page);
        }
        return lookups;
    }

    @Override
    public List<PushResult> push(List<CatalogItem> batch) {
        if (batch.size() > MAX_BATCH) {
            throw new IllegalArgumentException("an eBay push carries at most " + MAX_BATCH + " SKUs (bulk_update_price_quantity's limit), not "
                    + batch.size());
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (CatalogItem item : batch) {
            if (item.sku() != null && !distinct.add(item.sku())) {
                throw new IllegalArgumentException("SKU " + item.sku() + " appears twice in one eBay push: one entry per SKU");
            }
        }
        requireAllowed();
        Optional<Duration> held = backoff.heldFor(BULK_UPDATE);
        if (held.isPresent()) {
            throw new TransientFailure(EbayTokens.PEER, "eBay's Inventory API quota is exhausted: price and quantity wait " + held.get(),
                    held.get(), null);
        }

        PushResult[] results = new PushResult[batch.size()];
        List<String> skus = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            CatalogItem item = batch.get(i);
            if (item.sku() == null || item.sku().isBlank()) {
                results[i] = PushResult.rejected(item.sku(), "no internal reference in Odoo: eBay offers are found by SKU");
            } else if (item.price() == null || item.price().signum() <= 0) {
                results[i] = PushResult.rejected(item.sku(), "no sales price in Odoo (" + item.price() + "): eBay needs a positive price");
            } else {
                skus.add(item.sku());
            }
        }
        Resolution resolution = skus.isEmpty() ? new Resolution(Map.of(), Map.of()) : resolve(skus);

        ObjectNode body = json.createObjectNode();
        ArrayNode requests = body.putArray("requests");
        Map<String, Integer> sent = new LinkedHashMap<>();
        Map<String, String> skuByOfferId = new HashMap<>();
        Map<String, Integer> withoutOffer = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            CatalogItem item = batch.get(i);
            if (results[i] != null) {
                continue;
            }
            Offer offer = resolution.offers().get(item.sku());
            String currency = offer == null || offer.currency() == null ? item.currency() : offer.currency();
            if (resolution.refused().containsKey(item.sku())) {
                results[i] = PushResult.rejected(item.sku(), resolution.refused().get(item.sku()));
            } else if (offer == null || !offer.published()) {
                withoutOffer.put(item.sku(), i);
            } else if (item.currency() != null && !item.currency().equalsIgnoreCase(currency)) {
                results[i] = PushResult.rejected(item.sku(), "the eBay offer " + offer.offerId() + " is priced in " + currency + ", Odoo's price is in "
                        + item.currency());
            } else {
                int quantity = Math.max(0, item.quantity());
                ObjectNode request = requests.addObject().put("sku", item.sku());
                request.putObject("shipToLocationAvailability").put("quantity", quantity);
                ObjectNode entry = request.putArray("offers").addObject().put("offerId", offer.offerId()).put("availableQuantity", quantity);
                entry.putObject("price").put("value", item.price().setScale(2, RoundingMode.HALF_UP).toPlainString()).put("currency", currency);
                sent.put(item.sku(), i);
                skuByOfferId.put(offer.offerId(), item.sku());
            }
        }
        reviseWithTrading(batch, withoutOffer, results);
        if (sent.isEmpty()) {
            return Arrays.asList(results);
        }

        String what = "bulk_update_price_quantity of " + sent.size() + " offers";
        EbayApi.Reply reply = ebay.send("POST", BULK_UPDATE, body, true);
        if (!reply.ok()) {
            // 429 and 5xx were thrown as transient by EbayApi; what is left is a refusal of the whole request
            throw new PermanentFailure(EbayTokens.PEER, "HTTP " + reply.status() + " on " + what + ": eBay " + reply.message());
        }
        Map<String, List<JsonNode>> answers = new HashMap<>();
        for (JsonNode response : reply.body().path("responses")) {
            String sku = response.path("sku").asText("");
            if (!sent.containsKey(sku)) {
                sku = skuByOfferId.get(response.path("offerId").asText(""));
            }
            if (sku == null) {
                LOG.warnf("eBay's answer to a %s names an entry that was not sent: %s", what, response);
                continue;
            }
            answers.computeIfAbsent(sku, s -> new ArrayList<>()).add(response);
        }
        sent.forEach((sku, index) -> results[index] = outcome(sku, answers.get(sku)));
        return Arrays.asList(results);
    }

    /**
     * SKUs without a published offer: those whose active listing is known get their price and quantity with Trading
     * ReviseInventoryStatus (each with its own outcome), the others are refused.
     */
    private void reviseWithTrading(List<CatalogItem> batch, Map<String, Integer> withoutOffer, PushResult[] results) {
        if (withoutOffer.isEmpty()) {
            return;
        }
        Map<String, EbayTradingListings.Listed> listed = trading.known(withoutOffer.keySet());
        List<EbayTradingListings.Revision> revisions = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        withoutOffer.forEach((sku, index) -> {
            CatalogItem item = batch.get(index);
            EbayTradingListings.Listed listing = listed.get(sku);
            if (listing == null) {
                results[index] = PushResult.rejected(sku, NO_OFFER + " on " + marketplace);
            } else if (item.currency() != null && listing.currency() != null && !item.currency().equalsIgnoreCase(listing.currency())) {
                results[index] = PushResult.rejected(sku, "the eBay listing " + listing.itemId() + " is priced in " + listing.currency()
                        + ", Odoo's price is in " + item.currency());
            } else {
                revisions.add(new EbayTradingListings.Revision(sku, listing, item.price(), item.quantity()));
                indexes.add(index);
            }
        });
        if (revisions.isEmpty()) {
            return;
        }
        List<PushResult> revised = trading.revise(revisions);
        for (int i = 0; i < revised.size(); i++) {
            results[indexes.get(i)] = revised.get(i);
        }
    }

    /**
     * One SKU's entries in eBay's answer: all 200 → accepted; a refusal (user error, invalid value...) wins over a
     * retry; eBay's system error or a 5xx entry → retry; a vanished offer → forgotten and retried; no entry → retry.
     */
    private PushResult outcome(String sku, List<JsonNode> responses) {
        if (responses == null) {
            return PushResult.retry(sku, "eBay's answer to bulk_update_price_quantity did not mention the SKU");
        }
        String refusal = null;
        String retry = null;
        for (JsonNode response : responses) {
            int status = response.path("statusCode").asInt(0);
            if (status == 200) {
                continue;
            }
            JsonNode errors = response.path("errors");
            if (errors.isEmpty()) {
                String reason = "eBay answered statusCode " + status + " without error details";
                if (status >= 400 && status < 500) {
                    refusal = refusal == null ? reason : refusal;
                } else {
                    retry = retry == null ? reason : retry;
                }
                continue;
            }
            for (JsonNode error : errors) {
                int errorId = error.path("errorId").asInt(0);
                String reason = "eBay " + errorId + ": " + errorText(error);
                if (GONE.contains(errorId)) {
                    forget(sku);
                    retry = reason + " (the SKU's offer is looked up again)";
                } else if (errorId == SYSTEM_ERROR || status >= 500) {
                    retry = retry == null ? reason : retry;
                } else {
                    refusal = refusal == null ? reason : refusal;
                }
            }
        }
        if (refusal != null) {
            return PushResult.rejected(sku, refusal);
        }
        return retry != null ? PushResult.retry(sku, retry) : PushResult.accepted(sku);
    }

    /** Forgets what is held in memory (the {@code ebay_offer} table stays, and is read again on demand). */
    void clearMemory() {
        offers.clear();
    }

    // --- offers ----------------------------------------------------------------------------------

    private Resolution resolve(Collection<String> skus) {
        Set<String> distinct = new LinkedHashSet<>(skus);
        Instant now = Instant.now();
        Map<String, Offer> known = known(distinct);
        Map<String, String> refused = new HashMap<>();
        Map<String, Offer> resolved = new LinkedHashMap<>();
        for (String sku : distinct) {
            Offer offer = known.get(sku);
            if (offer != null && current(offer, now)) {
                continue;
            }
            Optional<Offer> looked = lookUp(sku, refused);
            if (looked.isPresent()) {
                resolved.put(sku, looked.get());
                offers.put(sku, looked.get());
                known.put(sku, looked.get());
            } else {
                known.remove(sku);
            }
        }
        storeAll(resolved); // one transaction for the lot: a full sync resolves thousands
        return new Resolution(known, refused);
    }

    /** What is known of these SKUs' offers: memory, then one read of {@code ebay_offer} per 500 for the rest. */
    private Map<String, Offer> known(Collection<String> skus) {
        Map<String, Offer> known = new LinkedHashMap<>();
        List<String> notInMemory = new ArrayList<>();
        for (String sku : skus) {
            Offer offer = offers.get(sku);
            if (offer != null) {
                known.put(sku, offer);
            } else {
                notInMemory.add(sku);
            }
        }
        if (!notInMemory.isEmpty()) {
            load(notInMemory).forEach((sku, offer) -> {
                offers.putIfAbsent(sku, offer);
                known.put(sku, offer);
            });
        }
        return known;
    }

    /** A published offer holds until eBay says it is gone; "no offer" only for a while; another marketplace's never. */
    private boolean current(Offer offer, Instant now) {
        return marketplace.equals(offer.marketplaceId()) && (offer.published() || offer.resolvedAt().plus(noOfferRecheck).isAfter(now));
    }

    /**
     * getOffers for one SKU (404: it has none): its PUBLISHED offer on the marketplace, or a "no offer" answer.
     * Empty, with the reason in {@code refused}, when eBay refuses the lookup itself (e.g. 25707, a SKU it cannot take).
     */
    private Optional<Offer> lookUp(String sku, Map<String, String> refused) {
        Instant now = Instant.now();
        EbayApi.Reply reply = ebay.send("GET", OFFERS_OF_SKU + URLEncoder.encode(sku, StandardCharsets.UTF_8), null, true);
        if (reply.status() == 404) {
            return Optional.of(new Offer(null, marketplace, null, now));
        }
        if (reply.status() == 400) {
            refused.put(sku, "eBay refused to look up the SKU's offers: " + reply.message());
            return Optional.empty();
        }
        if (!reply.ok()) {
            throw new PermanentFailure(EbayTokens.PEER, "HTTP " + reply.status() + " on getOffers: eBay " + reply.message());
        }
        for (JsonNode offer : reply.body().path("offers")) {
            if (marketplace.equals(offer.path("marketplaceId").asText()) && "PUBLISHED".equals(offer.path("status").asText())
                    && !offer.path("offerId").asText("").isBlank()) {
                String currency = offer.path("pricingSummary").path("price").path("currency").asText("");
                return Optional.of(new Offer(offer.path("offerId").asText(), marketplace, currency.isBlank() ? null : currency, now));
            }
        }
        return Optional.of(new Offer(null, marketplace, null, now));
    }

    private void forget(String sku) {
        offers.remove(sku);
        try (Connection c = db.connection()) {
            Database.execute(c, "DELETE FROM ebay_offer WHERE sku = ?", sku);
        } catch (SQLException e) {
            throw new TransientFailure(EbayTokens.PEER, "cannot forget the stale eBay offer of " + sku + ": " + e.getMessage(), e);
        }
    }

    private void storeAll(Map<String, Offer> resolved) {
        if (resolved.isEmpty()) {
            return;
        }
        // in SKU order, updated in place where known: a push resolving the same SKU meanwhile is waited for, not collided with
        Map<String, Offer> bySku = new TreeMap<>(resolved);
        try {
            db.inTransaction(c -> Database.updateOrInsert(c,
                    "UPDATE ebay_offer SET offer_id = ?, marketplace_id = ?, currency = ?, resolved_at = ? WHERE sku = ?",
                    "INSERT INTO ebay_offer (offer_id, marketplace_id, currency, resolved_at, sku) VALUES (?, ?, ?, ?, ?)",
                    bySku.entrySet(), (ps, entry) -> {
                        Offer offer = entry.getValue();
                        ps.setString(1, offer.offerId());
                        ps.setString(2, offer.marketplaceId());
                        ps.setString(3, offer.currency());
                        ps.setObject(4, offer.resolvedAt().atOffset(ZoneOffset.UTC));
                        ps.setString(5, entry.getKey());
                    }));
        } catch (SQLException e) {
            throw new TransientFailure(EbayTokens.PEER, "cannot store the eBay offers: " + e.getMessage(), e);
        }
    }

    /** The stored offers of these SKUs (those never resolved are absent). */
    private Map<String, Offer> load(List<String> skus) {
        Map<String, Offer> stored = new HashMap<>();
        for (int from = 0; from < skus.size(); from += LOAD_CHUNK) {
            List<String> chunk = skus.subList(from, Math.min(skus.size(), from + LOAD_CHUNK));
            String sql = "SELECT sku, offer_id, marketplace_id, currency, resolved_at FROM ebay_offer WHERE sku IN ("
                    + Database.placeholders(chunk.size()) + ")";
            try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        stored.put(rs.getString(1), new Offer(rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getObject(5, OffsetDateTime.class).toInstant()));
                    }
                }
            } catch (SQLException e) {
                throw new TransientFailure(EbayTokens.PEER, "cannot read the stored eBay offers: " + e.getMessage(), e);
            }
        }
        return stored;
    }

    // --- helpers -----------------------------------------------------------------------------------

    private void requireAllowed() {
        if (!tokens.sellerCallsAllowed()) {
            throw new PermanentFailure(EbayTokens.PEER, tokens.pausedBecause()
                    .orElse("eBay is not enabled (marketbridge.ebay.enabled) or no seller is connected (/admin/ebay/connect)"));
        }
    }

    /** eBay's message (or long message), shortened. */
    private static String errorText(JsonNode error) {
        String text = error.path("message").asText("");
        if (text.isBlank()) {
            text = error.path("longMessage").asText("no message");
        }
        text = text.strip();
        return text.length() > MAX_ERROR_TEXT ? text.substring(0, MAX_ERROR_TEXT) + "..." : text;
    }
}

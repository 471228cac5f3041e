package io.marketbridge.ebay.fulfilment;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketbridge.channels.DeliverySource;
import io.marketbridge.ebay.EbayConfig;
import io.marketbridge.ebay.account.EbayTokens;
import io.marketbridge.ebay.api.EbayApi;
import io.marketbridge.ebay.api.EbayQuotas;
import io.marketbridge.pipeline.Cursors;
import io.marketbridge.pipeline.PollHealth;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The eBay side's fulfilment poll, from its stored cursor minus a small overlap (the inbox absorbs
 * what is read twice), moving its cursor only after what it read is in the inbox: eBay orders
 * shipped on eBay that Odoo still holds as not shipped. Odoo's done deliveries of eBay orders are
 * read by the channels' own deliveries poll ({@code odooChannelDeliveries.pollDone('ebay')}).
 */
@Singleton
@Named("ebayFulfilmentPoller")
public class EbayFulfilmentPoller {

    private static final Logger LOG = Logger.getLogger(EbayFulfilmentPoller.class);
    static final String EBAY_FLOW = "ebay-fulfilment";
    private static final int PAGE = 200;
    private static final String ORDERS = "/sell/fulfillment/v1/order";

    private final EbayApi ebay;
    private final EbayTokens tokens;
    private final EbayQuotas quotas;
    private final PollHealth pollHealth;
    private final EbayFulfilments fulfilments;
    private final DeliverySource deliveries;
    private final Cursors cursors;
    private final EbayConfig config;
    /** Read as a setting, not through Odoo's package: eBay's side only needs to know Odoo is on. */
    private final boolean odooEnabled;

    EbayFulfilmentPoller(EbayApi ebay, EbayTokens tokens, EbayQuotas quotas, PollHealth pollHealth, EbayFulfilments fulfilments,
            DeliverySource deliveries, Cursors cursors, EbayConfig config,
            Config settings) {
        this.ebay = ebay;
        this.tokens = tokens;
        this.quotas = quotas;
        this.pollHealth = pollHealth;
        this.fulfilments = fulfilments;
        this.deliveries = deliveries;
        this.cursors = cursors;
        this.config = config;
        this.odooEnabled = settings.getOptionalValue("marketbridge.odoo.enabled", Boolean.class).orElse(true);
    }

    /** The seller's eBay can be called and Odoo is there: both polls of eBay orders' fulfilments may run. */
    public boolean sellerConnected() {
        return odooEnabled && tokens.sellerCallsAllowed();
    }

    /**
     * eBay → Odoo: orders modified since the cursor whose fulfilment started on eBay (marked shipped,
     * tracking added); for each that Odoo does not hold as shipped, its fulfilments go to the inbox.
     */
    public void pollEbay() throws Exception {
        if (!sellerConnected() || !quotas.allowsPoll(EBAY_FLOW, ORDERS)) {
            return;
        }
        pollHealth.run(EBAY_FLOW, this::readShippedOnEbay);
    }

    private PollHealth.Result readShippedOnEbay() throws SQLException {
        var settings = config.fulfilment();
        Instant cursor = cursors.get(EBAY_FLOW).map(Instant::parse).orElse(Instant.now().minus(settings.initialLookback()));
        String filter = "lastmodifieddate:[" + DateTimeFormatter.ISO_INSTANT.format(
                cursor.minus(settings.overlap()).truncatedTo(ChronoUnit.MILLIS)) + "..],orderfulfillmentstatus:{IN_PROGRESS|FULFILLED}";
        Instant newest = cursor;
        List<JsonNode> shipped = new ArrayList<>();
        int pages = 0;
        for (int offset = 0; ; offset += PAGE) {
            pages++;
            JsonNode page = ebay.get(ORDERS + "?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8)
                    + "&limit=" + PAGE + "&offset=" + offset);
            int size = 0;
            for (JsonNode order : page.path("orders")) {
                size++;
                Instant at = Instant.parse(order.path("lastModifiedDate").asText());
                newest = at.isAfter(newest) ? at : newest;
                if (!"NOT_STARTED".equals(order.path("orderFulfillmentStatus").asText("NOT_STARTED"))) {
                    shipped.add(order);
                }
            }
            if (!page.hasNonNull("next") || size < PAGE) {
                break;
            }
        }
        Set<String> shippedInOdoo = deliveries.shippedOrders("ebay", shipped.stream().map(o -> o.path("orderId").asText()).toList());
        int accepted = 0;
        int offered = 0;
        for (JsonNode order : shipped) {
            if (!shippedInOdoo.contains(order.path("orderId").asText())) {
                offered++;
                accepted += fulfilments.offerFulfilments(order);
            }
        }
        cursors.set(EBAY_FLOW, newest.toString());
        if (offered > 0) {
            LOG.infof("eBay fulfilment poll: %d order(s) shipped on eBay and not in Odoo, %d new fulfilment(s), cursor %s",
                    offered, accepted, newest);
        }
        return new PollHealth.Result(accepted, 0, pages);
    }
}

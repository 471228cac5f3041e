package io.marketbridge.ebay.orders;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketbridge.ebay.EbayConfig;
import io.marketbridge.ebay.account.EbayTokens;
import io.marketbridge.ebay.api.EbayApi;
import io.marketbridge.ebay.api.EbayQuotas;
import io.marketbridge.model.InboundEvent;
import io.marketbridge.pipeline.Cursors;
import io.marketbridge.pipeline.Inbox;
import io.marketbridge.pipeline.PollHealth;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * getOrders by {@code lastmodifieddate} from a stored cursor (minus a small overlap), a page of
 * up to 200 at a time, each order stored in the inbox as one event per modification. The cursor
 * moves only after every page is in the inbox: a crash re-reads, and the inbox absorbs doubles.
 */
@Singleton
@Named("ebayOrderPoller")
public class EbayOrderPoller {

    private static final Logger LOG = Logger.getLogger(EbayOrderPoller.class);
    static final String FLOW = "ebay-orders";
    private static final String ORDERS = "/sell/fulfillment/v1/order";

    private final EbayApi ebay;
    private final EbayTokens tokens;
    private final EbayQuotas quotas;
    private final Inbox inbox;
    private final Cursors cursors;
    private final PollHealth pollHealth;
    private final EbayConfig config;

    EbayOrderPoller(EbayApi ebay, EbayTokens tokens, EbayQuotas quotas, Inbox inbox, Cursors cursors,
            PollHealth pollHealth, EbayConfig config) {
        this.ebay = ebay;
        this.tokens = tokens;
        this.quotas = quotas;
        this.inbox = inbox;
        this.cursors = cursors;
        this.pollHealth = pollHealth;
        this.config = config;
    }

    public void poll() throws Exception {
        if (!tokens.sellerCallsAllowed() || !quotas.allowsPoll(FLOW, ORDERS)) {
            return; // no connected seller, eBay paused, or its call budget says wait
        }
        pollHealth.run(FLOW, this::readChangedOrders);
    }

    private PollHealth.Result readChangedOrders() throws SQLException {
        var orders = config.orders();
        Instant cursor = cursors.get(FLOW).map(Instant::parse).orElse(Instant.now().minus(orders.initialLookback()));
        String filter = "lastmodifieddate:[" + DateTimeFormatter.ISO_INSTANT.format(
                cursor.minus(orders.overlap()).truncatedTo(ChronoUnit.MILLIS)) + "..]";
        Instant newest = cursor;
        int pages = 0;
        int seen = 0;
        int accepted = 0;
        for (int offset = 0; ; offset += orders.pageSize()) {
            JsonNode page = ebay.get(ORDERS + "?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8)
                    + "&limit=" + orders.pageSize() + "&offset=" + offset);
            pages++;
            List<InboundEvent> events = new ArrayList<>();
            for (JsonNode order : page.path("orders")) {
                String modified = order.path("lastModifiedDate").asText();
                events.add(new InboundEvent("ebay", "ebay:order:" + order.path("orderId").asText() + ":" + modified, "ebay.Order",
                        order.toString(), EbayBuyerData.subject(order.path("buyer").path("username").asText(""))));
                Instant at = Instant.parse(modified);
                newest = at.isAfter(newest) ? at : newest;
            }
            seen += events.size();
            accepted += inbox.offerAll(events);
            if (!page.hasNonNull("next") || events.size() < orders.pageSize()) {
                break;
            }
        }
        cursors.set(FLOW, newest.toString());
        if (seen > 0) {
            LOG.infof("eBay orders poll: %d page(s), %d order change(s), %d new, cursor %s", pages, seen, accepted, newest);
        }
        return new PollHealth.Result(accepted, seen - accepted, pages);
    }
}

package io.marketbridge.medusa;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketbridge.model.InboundEvent;
import io.marketbridge.pipeline.Cursors;
import io.marketbridge.pipeline.Inbox;
import io.marketbridge.pipeline.PollHealth;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Medusa has no outgoing webhooks: {@code GET /admin/orders} by {@code updated_at[$gte]} from a stored cursor (minus
 * a small overlap), oldest change first, page after page until a short one, each order stored in the inbox as one
 * event per change ({@code medusa.Order}, keyed by id and {@code updated_at}). The cursor moves only after every page
 * is in the inbox: a crash re-reads, and the inbox absorbs doubles.
 */
@Singleton
@Named("medusaOrderPoller")
public class MedusaOrderPoller {

    static final String FLOW = "medusa-orders";
    static final String EVENT_TYPE = "medusa.Order";
    /**
     * What the mapper reads, and the metadata the write-back checks. {@code payment_status} is not a stored field:
     * Medusa's order list computes it from the payment collections and adds it to every order.
     */
    static final String FIELDS = "id,display_id,status,email,currency_code,customer_id,total,created_at,updated_at,"
            + "metadata,*items,*shipping_address,*shipping_methods";
    private static final Logger LOG = Logger.getLogger(MedusaOrderPoller.class);

    private final MedusaApi medusa;
    private final Inbox inbox;
    private final Cursors cursors;
    private final PollHealth pollHealth;
    private final MedusaConfig config;

    MedusaOrderPoller(MedusaApi medusa, Inbox inbox, Cursors cursors, PollHealth pollHealth, MedusaConfig config) {
        this.medusa = medusa;
        this.inbox = inbox;
        this.cursors = cursors;
        this.pollHealth = pollHealth;
        this.config = config;
    }

    public void poll() throws Exception {
        if (!config.enabled() || !config.orders().enabled() || config.url().isEmpty()) {
            return;
        }
        pollHealth.run(FLOW, this::readChangedOrders);
    }

    private PollHealth.Result readChangedOrders() throws SQLException {
        var orders = config.orders();
        Instant cursor = cursors.get(FLOW).map(Instant::parse).orElse(Instant.now().minus(orders.initialLookback()));
        String since = DateTimeFormatter.ISO_INSTANT.format(cursor.minus(orders.overlap()).truncatedTo(ChronoUnit.MILLIS));
        Instant newest = cursor;
        int pages = 0;
        int seen = 0;
        int accepted = 0;
        for (int offset = 0; ; offset += orders.pageSize()) {
            String query = "/admin/orders?" + MedusaApi.encode("updated_at[$gte]") + "=" + MedusaApi.encode(since)
                    + "&order=updated_at&limit=" + orders.pageSize() + "&offset=" + offset + "&fields=" + MedusaApi.encode(FIELDS);
            JsonNode page = medusa.require(medusa.get(query), "reading the orders changed since " + since);
            pages++;
            List<InboundEvent> events = new ArrayList<>();
            for (JsonNode order : page.path("orders")) {
                String updated = order.path("updated_at").asText();
                String id = order.path("id").asText();
                events.add(new InboundEvent(MedusaApi.PEER, "medusa:order:" + id + ":" + updated, EVENT_TYPE, order.toString(),
                        subject(order)));
                Instant at = Instant.parse(updated);
                newest = at.isAfter(newest) ? at : newest;
            }
            seen += events.size();
            accepted += inbox.offerAll(events);
            if (events.size() < orders.pageSize()) {
                break;
            }
        }
        cursors.set(FLOW, newest.toString());
        if (seen > 0) {
            LOG.infof("Medusa orders poll: %d page(s), %d order change(s), %d new, cursor %s", pages, seen, accepted, newest);
        }
        return new PollHealth.Result(accepted, seen - accepted, pages);
    }

    /** Whose personal data the event carries: the customer, or the guest's email. */
    private static String subject(JsonNode order) {
        String customer = order.path("customer_id").asText("");
        return customer.isEmpty() ? "medusa-email:" + order.path("email").asText("").toLowerCase(Locale.ROOT)
                : "medusa-customer:" + customer;
    }
}

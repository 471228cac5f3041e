package io.marketbridge.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.channels.ChannelSync;
import io.marketbridge.config.MarketbridgeConfig;
import io.marketbridge.model.InboundEvent;
import io.marketbridge.pipeline.Cursors;
import io.marketbridge.pipeline.Digests;
import io.marketbridge.pipeline.Inbox;
import io.marketbridge.pipeline.PollHealth;
import io.marketbridge.pipeline.RejectedInput;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.Exchange;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What changed in Odoo's catalog: polled from {@code write_date} cursors (products, templates,
 * stock at the configured location), and pushed by Odoo's automation rules to {@code POST
 * /webhooks/odoo} with a shared secret. Both put the changed records into the inbox; the
 * {@code channel-sync-changes} flow pushes them to every channel.
 */
@Singleton
@Named("odooCatalogChanges")
public class OdooCatalogChanges {

    public static final String FLOW = "odoo-catalog";
    private static final Logger LOG = Logger.getLogger(OdooCatalogChanges.class);
    private static final int CHUNK = 500;
    private static final Set<String> MODELS = Set.of("product.product", "product.template", "stock.quant");

    private final OdooCatalogFeed feed;
    private final ChannelSync sync;
    private final Inbox inbox;
    private final Cursors cursors;
    private final PollHealth pollHealth;
    private final ObjectMapper json;
    private final MarketbridgeConfig config;
    private final OdooConfig odooConfig;

    OdooCatalogChanges(OdooCatalogFeed feed, ChannelSync sync, Inbox inbox, Cursors cursors, PollHealth pollHealth, ObjectMapper json,
            MarketbridgeConfig config, OdooConfig odooConfig) {
        this.feed = feed;
        this.sync = sync;
        this.inbox = inbox;
        this.cursors = cursors;
        this.pollHealth = pollHealth;
        this.json = json;
        this.config = config;
        this.odooConfig = odooConfig;
    }

    public void poll() throws Exception {
        if (!odooConfig.enabled() || sync.channels().stream().noneMatch(c -> sync.connector(c).enabled())) {
            return;
        }
        pollHealth.run(FLOW, this::readChanges);
    }

    /**
     * Changes are followed from the service's first start, less the clock skew allowed between it and Odoo,
     * so a change made before the first poll is not missed. The catalog as it stood before reaches the
     * channels by a full sync, not as one huge change.
     */
    void followFromFirstStart(@Observes StartupEvent event) throws SQLException {
        if (cursors.get(FLOW).isEmpty()) {
            String start = firstStart();
            cursors.setIfAbsent(FLOW, start);
            LOG.infof("Odoo catalog changes are followed from %s UTC on. The catalog as it stands reaches the channels with"
                    + " POST /admin/sync/{channel|all} (dryRun=true first) or the nightly reconciliation.", start);
        }
    }

    private String firstStart() {
        return OdooCatalogFeed.writeDate(LocalDateTime.now(ZoneOffset.UTC).minus(config.channels().clockSkew()));
    }

    private PollHealth.Result readChanges() throws SQLException {
        String since = cursors.get(FLOW).orElseGet(this::firstStart);
        OdooCatalogFeed.Changes changes = feed.changedSince(since);
        List<Long> ids = List.copyOf(changes.productIds());
        List<InboundEvent> events = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            // the same changes read again (write_date has whole seconds, so the cursor is inclusive) make the same key
            events.add(sync.recordsChanged("odoo:changes:" + changes.newest() + ":" + Digests.sha256Hex(chunk.toString()).substring(0, 16), "product.product", chunk));
        }
        int accepted = inbox.offerAll(events);
        if (changes.newest() != null) {
            cursors.set(FLOW, changes.newest());
        }
        return new PollHealth.Result(accepted == 0 ? 0 : ids.size(), events.size() - accepted, 3);
    }

    /**
     * {@code POST /webhooks/odoo} from an Odoo automation rule ("Send Webhook Notification"):
     * {@code {"_model":"product.template","_id":42,...}} or {@code {"_model":...,"ids":[...]}}, with
     * the shared secret in {@code X-Marketbridge-Secret} or {@code ?secret=}. Becomes one inbox event.
     */
    public void receiveWebhook(Exchange exchange) {
        String secret = odooConfig.webhookSecret().orElseThrow(() -> new RejectedInput(503,
                "marketbridge.odoo.webhook-secret (MARKETBRIDGE_ODOO_WEBHOOK_SECRET) is not configured: Odoo webhooks are off"));
        // a header where the sender can set one; Odoo's "Send Webhook Notification" can only take it in the URL
        String given = exchange.getMessage().getHeader("X-Marketbridge-Secret", String.class);
        if (given == null) {
            given = exchange.getMessage().getHeader("secret", String.class);
        }
        if (given == null || !MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
            throw new RejectedInput(401, "the shared secret (X-Marketbridge-Secret header or ?secret=) is missing or wrong");
        }
        JsonNode body = RejectedInput.jsonBody(json, exchange);
        String model = body == null ? "" : body.path("_model").asText("");
        if (!MODELS.contains(model)) {
            throw new RejectedInput(400, "_model must be one of " + MODELS + ", got '" + model + "'");
        }
        Set<Long> ids = new LinkedHashSet<>();
        if (body.path("_id").canConvertToLong()) {
            ids.add(body.path("_id").asLong());
        }
        body.path("ids").forEach(id -> {
            if (id.canConvertToLong()) {
                ids.add(id.asLong());
            }
        });
        if (ids.isEmpty() || ids.size() > 10_000) {
            throw new RejectedInput(400, "name the changed records: _id, or ids (1 to 10,000)");
        }
        // every call is its own change: a later edit of the same record must sync again
        exchange.getMessage().setBody(sync.recordsChanged("odoo:webhook:" + model + ":" + UUID.randomUUID(), model, ids));
    }
}

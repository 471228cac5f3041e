package io.marketbridge.cartona;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketbridge.model.InboundEvent;
import io.marketbridge.pipeline.Cursors;
import io.marketbridge.pipeline.Inbox;
import io.marketbridge.pipeline.PollHealth;
import io.marketbridge.pipeline.TransientFailure;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Pulls each supplier account's orders ({@code order/pull-orders?page=&per_page=&from=&to=}) from the account's cursor,
 * less an overlap, to now, page after page until one comes back short, into the inbox (an order Cartona offers again
 * because it is not acknowledged yet is a duplicate there). The cursor moves to the window's end only after every page
 * is stored: a crash pulls the window again. An order that cannot be read is stored as a dead letter with the reason.
 */
@Singleton
@Named("cartonaOrderPoller")
public class CartonaOrderPoller {

    static final String FLOW = "cartona-orders";
    private static final Logger LOG = Logger.getLogger(CartonaOrderPoller.class);
    /** Pages per account and pull at most: a window larger than this is taken up again by the next pull. */
    private static final int MAX_PAGES = 200;

    private final CartonaApi api;
    private final CartonaOrders orders;
    private final Inbox inbox;
    private final Cursors cursors;
    private final PollHealth pollHealth;
    private final CartonaConfig settings;

    CartonaOrderPoller(CartonaApi api, CartonaOrders orders, Inbox inbox, Cursors cursors, PollHealth pollHealth, CartonaConfig config) {
        this.api = api;
        this.orders = orders;
        this.inbox = inbox;
        this.cursors = cursors;
        this.pollHealth = pollHealth;
        this.settings = config;
    }

    /** Whether the pull runs at all: Cartona on, and its order pull not switched off. */
    public boolean enabled() {
        return api.enabled() && settings.orders().enabled();
    }

    public void poll() throws Exception {
        if (enabled()) {
            pollHealth.run(FLOW, this::pullEveryAccount);
        }
    }

    private PollHealth.Result pullEveryAccount() throws SQLException {
        int accepted = 0;
        int seen = 0;
        int calls = 0;
        for (CartonaAccount account : api.accounts()) {
            PollHealth.Result result = pull(account);
            accepted += result.changes();
            seen += result.changes() + result.duplicates();
            calls += result.calls();
        }
        return new PollHealth.Result(accepted, seen - accepted, calls);
    }

    private PollHealth.Result pull(CartonaAccount account) throws SQLException {
        var config = settings.orders();
        String cursorName = FLOW + ":" + account.name();
        // whole seconds, rounded up: an order placed this very second is inside the window
        Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        Instant from = cursors.get(cursorName).map(Instant::parse).map(c -> c.minus(config.overlap()))
                .orElse(to.minus(config.initialLookback()));
        int seen = 0;
        int accepted = 0;
        int page = 1;
        for (; page <= MAX_PAGES; page++) {
            JsonNode answer = api.get(account, config.pullPath().replaceAll("^/+", "") + "?page=" + page + "&per_page=" + config.pageSize()
                    + "&from=" + encode(from) + "&to=" + encode(to), "pull of orders (page " + page + ") for " + account);
            JsonNode list = answer != null && answer.isObject() && answer.has("data") ? answer.get("data") : answer;
            if (list == null || !list.isArray()) {
                throw new TransientFailure(CartonaApi.PEER, "pull-orders for " + account
                        + " answered no list of orders (UNCONFIRMED shape: a JSON array, or {\"data\":[...]})", null, null);
            }
            List<InboundEvent> events = new ArrayList<>();
            for (JsonNode order : list) {
                List<String> problems = CartonaOrderMapper.problems(order, settings.productKey());
                if (problems.isEmpty()) {
                    events.add(orders.event(account, order));
                } else if (inbox.offerRejected(orders.event(account, order), FLOW, "Cartona order " + order.path("hashed_id").asText("?")
                        + " pulled for " + account + " cannot be read: " + String.join("; ", problems))) {
                    accepted++;
                }
            }
            seen += list.size();
            accepted += inbox.offerAll(events);
            if (list.size() < config.pageSize()) {
                break;
            }
        }
        // a window cut short by MAX_PAGES resumes from its start: what was stored is a duplicate next time
        cursors.set(cursorName, (page > MAX_PAGES ? from.plus(config.overlap()) : to).toString());
        if (seen > 0) {
            LOG.infof("Cartona orders pull for %s: %d order(s), %d new, window %s..%s", account, seen, accepted, from, to);
        }
        return new PollHealth.Result(accepted, seen - accepted, Math.min(page, MAX_PAGES));
    }

    private static String encode(Instant at) {
        return URLEncoder.encode(at.toString(), StandardCharsets.UTF_8);
    }
}

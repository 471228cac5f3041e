package io.marketbridge.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketbridge.pipeline.Decision;
import io.marketbridge.pipeline.PermanentFailure;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * To-Do activities in Odoo ({@code mail.activity}) for what a person must decide: they show on the record (a sale
 * order, a customer) and in the Activities menu of the user named by {@code marketbridge.odoo.decisions-user}, in
 * Odoo's own screens. One open activity per record and summary: a retry or a replay does not add a second.
 */
@Singleton
@Named("odooActivities")
public class OdooActivities {

    private static final Logger LOG = Logger.getLogger(OdooActivities.class);
    /** The exchange property a route sets to the activity's summary; its {@value OdooSaleOrders#NOTE} is the note. */
    public static final String SUMMARY = "odooActivity";

    private final OdooClient odoo;
    private final MeterRegistry metrics;
    private final Optional<String> decisionsUser;
    private final Map<String, Long> modelIds = new ConcurrentHashMap<>();
    /** Resolved once: the To-Do type's id and the assigned user's id (empty: Odoo's defaults). */
    private volatile Optional<Long> todoType;
    private volatile Optional<Long> user;

    OdooActivities(OdooClient odoo, MeterRegistry metrics, OdooConfig config) {
        this.odoo = odoo;
        this.metrics = metrics;
        this.decisionsUser = config.decisionsUser().filter(login -> !login.isBlank());
    }

    /**
     * After a dead letter: when its failure names a {@link Decision}, the activity for it. A failure to schedule is
     * logged, never raised: the dead letter holds the event and its reason either way.
     */
    public void scheduleDecision(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure) {
        if (!(failure instanceof PermanentFailure permanent) || permanent.decision().isEmpty()) {
            return;
        }
        Decision decision = permanent.decision().get();
        try {
            schedule(decision.model(), decision.recordId(), decision.summary(), permanent.getMessage()
                    + "\n\nThe event waits in Marketbridge's dead letters: replay it from the operator page once this is settled.");
        } catch (RuntimeException e) {
            metrics.counter("marketbridge.odoo.activities", "outcome", "failed").increment();
            LOG.warnf("Could not schedule the Odoo activity '%s' on %s %d: %s", decision.summary(), decision.model(),
                    decision.recordId(), e.getMessage());
        }
    }

    /** A route's activity on its sale order: the summary in {@value #SUMMARY}, the note in {@value OdooSaleOrders#NOTE}. */
    public void onSaleOrder(@ExchangeProperty(OdooSaleOrders.SALE_ORDER) OdooSaleOrders.SaleOrder saleOrder,
            @ExchangeProperty(SUMMARY) String summary, @ExchangeProperty(OdooSaleOrders.NOTE) String note) {
        schedule("sale.order", saleOrder.id(), summary, note);
    }

    /** Schedules a To-Do on the record unless one with that summary is open there already; true when it made one. */
    public boolean schedule(String model, long recordId, String summary, String note) {
        if (!odoo.searchRead("mail.activity", List.of(List.of("res_model", "=", model), List.of("res_id", "=", recordId),
                List.of("summary", "=", summary)), List.of("id"), 1, null, null).isEmpty()) {
            return false;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("res_model_id", modelId(model));
        values.put("res_id", recordId);
        todoType().ifPresent(type -> values.put("activity_type_id", type));
        values.put("summary", summary);
        values.put("note", html(note));
        user().ifPresent(id -> values.put("user_id", id));
        long id = odoo.createOne("mail.activity", values, null);
        metrics.counter("marketbridge.odoo.activities", "outcome", "scheduled").increment();
        LOG.infof("Odoo activity %d on %s %d: %s", id, model, recordId, summary);
        return true;
    }

    /** The note is an HTML field: the text escaped, each blank-line-separated part a paragraph. */
    static String html(String text) {
        StringBuilder html = new StringBuilder();
        for (String paragraph : text.strip().split("\\n\\s*\\n")) {
            html.append("<p>").append(paragraph.strip().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                    .replace("\n", "<br>")).append("</p>");
        }
        return html.toString();
    }

    private long modelId(String model) {
        return modelIds.computeIfAbsent(model, m -> {
            List<JsonNode> found = odoo.searchRead("ir.model", List.of(List.of("model", "=", m)), List.of("id"), 1, null, null);
            if (found.isEmpty()) {
                throw new PermanentFailure("odoo", "Odoo has no model " + m + " to put an activity on");
            }
            return found.get(0).get("id").asLong();
        });
    }

    /** Odoo's To-Do activity type (mail.mail_activity_data_todo); empty when it was deleted, leaving Odoo's default. */
    private Optional<Long> todoType() {
        Optional<Long> type = todoType;
        if (type == null) {
            List<JsonNode> found = odoo.searchRead("ir.model.data", List.of(List.of("module", "=", "mail"),
                    List.of("name", "=", "mail_activity_data_todo")), List.of("res_id"), 1, null, null);
            type = found.isEmpty() ? Optional.empty() : Optional.of(found.get(0).get("res_id").asLong());
            todoType = type;
        }
        return type;
    }

    private Optional<Long> user() {
        Optional<Long> id = user;
        if (id == null) {
            id = decisionsUser.map(login -> {
                List<JsonNode> found = odoo.searchRead("res.users", List.of(List.of("login", "=", login)), List.of("id"), 1, null, null);
                if (found.isEmpty()) {
                    throw new PermanentFailure("odoo", "marketbridge.odoo.decisions-user '" + login + "' is no login of an active Odoo user");
                }
                return found.get(0).get("id").asLong();
            });
            user = id;
        }
        return id;
    }
}

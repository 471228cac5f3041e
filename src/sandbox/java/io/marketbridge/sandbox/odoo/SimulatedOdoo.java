package io.marketbridge.sandbox.odoo;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * An in-memory Odoo database with the ORM behaviour this service relies on (protocols/odoo.md):
 * models and fields per version, domains, {@code create} with a dict or a list, many2one reads as
 * {@code [id, name]}, empty values read as {@code false}, the product template/variant pair,
 * inventory-mode quants, external identifiers, chatter notes, and the errors Odoo raises.
 * Every method call is one transaction, as in Odoo: calls are serialised.
 */
public final class SimulatedOdoo {

    public static final String DATABASE = "sandbox";
    public static final String LOGIN = "marketbridge-bot";
    public static final String API_KEY = "sandbox-odoo-key";
    public static final long UID = 2;

    private static final DateTimeFormatter ODOO_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Object NONE = new Object();

    /** An error as Odoo reports it: the exception's dotted name and its message. */
    public static final class Fault extends RuntimeException {
        public final String name;

        public Fault(String name, String message) {
            super(message);
            this.name = name;
        }
    }

    private record Field(String type, String relation, Object defaultValue) {
    }

    /** Fields looked up by equality on hot paths get a hash index, so lookups stay fast at 100k records. */
    private static final Map<String, Set<String>> INDEXED = Map.ofEntries(
            Map.entry("product.product", Set.of("default_code", "product_tmpl_id")),
            Map.entry("product.category", Set.of("name")),
            Map.entry("ir.model.data", Set.of("name")),
            Map.entry("stock.quant", Set.of("product_id")),
            Map.entry("product.template.attribute.line", Set.of("product_tmpl_id")),
            Map.entry("product.template.attribute.value", Set.of("attribute_line_id")),
            Map.entry("mail.message", Set.of("res_id")),
            Map.entry("res.partner", Set.of("ref", "parent_id")),
            Map.entry("res.country", Set.of("code")),
            Map.entry("sale.order", Set.of("client_order_ref")),
            Map.entry("sale.order.line", Set.of("order_id")),
            Map.entry("stock.picking", Set.of("sale_id")),
            Map.entry("stock.move", Set.of("picking_id")));

    private final Map<String, Map<String, Field>> schema = new HashMap<>();
    private final Map<String, TreeMap<Long, Map<String, Object>>> tables = new HashMap<>();
    private final Map<String, Map<String, Map<Object, Set<Long>>>> indexes = new HashMap<>();
    private final Map<String, Long> sequences = new HashMap<>();
    private static final long DEFAULT_SALES_TAX = 1L;
    private int version;

    public SimulatedOdoo(int version) {
        seed(version);
    }

    public synchronized int version() {
        return version;
    }

    /** What a fresh Odoo database has. */
    private void seed(int majorVersion) {
        this.version = majorVersion;
        define("res.users", Map.of("login", f("char"), "name", f("char")));
        define("product.category", Map.of("name", f("char"), "parent_id", m2o("product.category")));
        Map<String, Field> template = new LinkedHashMap<>();
        template.put("name", f("char"));
        template.put("default_code", f("char"));
        template.put("barcode", f("char"));
        template.put("list_price", new Field("float", null, 1.0));
        template.put("categ_id", new Field("many2one", "product.category", 1L));
        template.put("description_sale", f("text"));
        template.put("type", new Field("selection", null, "consu"));
        if (majorVersion >= 18) {
            template.put("is_storable", new Field("boolean", null, false));
        }
        template.put("sale_ok", new Field("boolean", null, true));
        template.put("purchase_ok", new Field("boolean", null, true));
        template.put("active", new Field("boolean", null, true));
        template.put("is_published", new Field("boolean", null, false)); // website_sale installed
        define("product.template", template);
        Map<String, Field> variant = new LinkedHashMap<>(template);
        variant.put("product_tmpl_id", m2o("product.template"));
        variant.put("product_template_attribute_value_ids", m2m("product.template.attribute.value"));
        define("product.product", variant);
        // variants: attributes and their values, a template's attribute lines, and per template the
        // values it uses (name and price_extra), one combination of them per variant
        define("product.attribute", Map.of("name", f("char"), "sequence", new Field("integer", null, 10L)));
        define("product.attribute.value", Map.of("name", f("char"), "attribute_id", m2o("product.attribute")));
        define("product.template.attribute.line", Map.of("product_tmpl_id", m2o("product.template"),
                "attribute_id", m2o("product.attribute"), "value_ids", m2m("product.attribute.value"),
                "sequence", new Field("integer", null, 10L)));
        define("product.template.attribute.value", Map.of("product_tmpl_id", m2o("product.template"),
                "attribute_line_id", m2o("product.template.attribute.line"), "attribute_id", m2o("product.attribute"),
                "product_attribute_value_id", m2o("product.attribute.value"), "price_extra", new Field("float", null, 0.0)));
        define("res.currency", Map.of("name", f("char")));
        define("res.company", Map.of("name", f("char"), "currency_id", m2o("res.currency")));
        define("stock.location", Map.of("name", f("char"), "usage", new Field("char", null, "internal"),
                "location_id", m2o("stock.location")));
        define("stock.warehouse", Map.of("name", f("char"), "lot_stock_id", m2o("stock.location")));
        define("stock.quant", Map.of("product_id", m2o("product.product"), "location_id", m2o("stock.location"),
                "quantity", new Field("float", null, 0.0), "reserved_quantity", new Field("float", null, 0.0),
                "inventory_quantity", new Field("float", null, 0.0)));
        define("ir.model.data", Map.of("module", f("char"), "name", f("char"), "model", f("char"), "res_id", f("integer")));
        define("mail.message", Map.of("model", f("char"), "res_id", f("integer"), "body", f("text"),
                "message_type", f("char")));

        define("res.country", Map.of("name", f("char"), "code", f("char")));
        Map<String, Field> partner = new LinkedHashMap<>();
        for (String field : List.of("name", "email", "phone", "street", "street2", "city", "zip", "ref", "type")) {
            partner.put(field, f("char"));
        }
        partner.put("country_id", m2o("res.country"));
        partner.put("parent_id", m2o("res.partner"));
        partner.put("is_company", new Field("boolean", null, false));
        partner.put("active", new Field("boolean", null, true));
        define("res.partner", partner);
        // sales tags (crm.tag, from the sales_team module sale depends on) keep a channel account's orders apart
        define("crm.tag", Map.of("name", f("char")));
        define("sale.order", Map.ofEntries(Map.entry("name", f("char")), Map.entry("partner_id", m2o("res.partner")),
                Map.entry("partner_shipping_id", m2o("res.partner")), Map.entry("client_order_ref", f("char")), Map.entry("origin", f("char")),
                Map.entry("note", f("text")), Map.entry("state", new Field("char", null, "draft")),
                Map.entry("locked", new Field("boolean", null, false)), Map.entry("commitment_date", f("datetime")),
                Map.entry("tag_ids", m2m("crm.tag"))));
        // a line without taxes given gets the company's default sales tax (15 % in Odoo's demo company, seen on 17)
        define("account.tax", Map.of("name", f("char"), "amount", new Field("float", null, 0.0)));
        define("sale.order.line", Map.of("order_id", m2o("sale.order"), "product_id", m2o("product.product"), "name", f("char"),
                "product_uom_qty", new Field("float", null, 1.0), "price_unit", new Field("float", null, 0.0),
                saleLineTaxes(), new Field("many2many", "account.tax", List.of(DEFAULT_SALES_TAX))));

        // outgoing deliveries of confirmed sale orders; carrier_id and carrier_tracking_ref come with
        // Odoo's delivery module (stock_delivery in 17/18), which this simulated Odoo has installed
        define("delivery.carrier", Map.of("name", f("char")));
        define("stock.picking", Map.of("name", f("char"), "origin", f("char"), "sale_id", m2o("sale.order"),
                "partner_id", m2o("res.partner"), "picking_type_code", new Field("char", null, "outgoing"),
                "state", new Field("char", null, "draft"), "date_done", f("char"), "carrier_id", m2o("delivery.carrier"),
                "carrier_tracking_ref", f("char")));
        define("stock.move", Map.of("picking_id", m2o("stock.picking"), "product_id", m2o("product.product"), "name", f("char"),
                "product_uom_qty", new Field("float", null, 0.0), "state", new Field("char", null, "draft")));

        // activities for people (mail): on any record, through the model's ir.model row; To-Do is mail's own type
        define("ir.model", Map.of("model", f("char"), "name", f("char")));
        define("mail.activity.type", Map.of("name", f("char")));
        define("mail.activity", Map.of("res_model_id", m2o("ir.model"), "res_model", f("char"), "res_id", f("integer"),
                "activity_type_id", m2o("mail.activity.type"), "summary", f("char"), "note", f("text"), "user_id", m2o("res.users"),
                "date_deadline", f("char")));

        insert("res.users", Map.of("login", "__system__", "name", "OdooBot"));
        for (String[] country : new String[][] {{"US", "United States"}, {"GB", "United Kingdom"}, {"DE", "Germany"},
                {"FR", "France"}, {"IT", "Italy"}, {"ES", "Spain"}, {"CA", "Canada"}, {"AU", "Australia"}, {"EG", "Egypt"}}) {
            insert("res.country", Map.of("code", country[0], "name", country[1]));
        }
        insert("res.users", Map.of("login", LOGIN, "name", "Marketbridge bot"));
        insert("res.users", Map.of("login", "admin", "name", "Mitchell Admin")); // a person, as in Odoo's demo data
        insert("product.category", Map.of("name", "All"));
        long stock = insert("stock.location", Map.of("name", "WH/Stock", "usage", "internal"));
        insert("stock.location", Map.of("name", "Shelf 1", "usage", "internal", "location_id", stock));
        insert("stock.warehouse", Map.of("name", "San Francisco", "lot_stock_id", stock));
        insert("account.tax", Map.of("name", "15%", "amount", 15.0));
        long usd = insert("res.currency", Map.of("name", "USD"));
        insert("res.currency", Map.of("name", "EUR"));
        insert("res.company", Map.of("name", "My Company (San Francisco)", "currency_id", usd));
        new TreeMap<>(schema).keySet().forEach(model -> insert("ir.model", Map.of("model", model, "name", model)));
        // mail's activity types in the order its data makes them: To-Do is id 4 on real 17 and 19 too
        for (String type : List.of("Email", "Call", "Meeting")) {
            insert("mail.activity.type", Map.of("name", type));
        }
        long todo = insert("mail.activity.type", Map.of("name", "To-Do"));
        insert("ir.model.data", Map.of("module", "mail", "name", "mail_activity_data_todo", "model", "mail.activity.type", "res_id", todo));
    }

    private static Field f(String type) {
        return new Field(type, null, null);
    }

    private static Field m2o(String relation) {
        return new Field("many2one", relation, null);
    }

    private static Field m2m(String relation) {
        return new Field("many2many", relation, null);
    }

    private void define(String model, Map<String, Field> fields) {
        schema.put(model, new LinkedHashMap<>(fields));
        tables.put(model, new TreeMap<>());
        sequences.put(model, 0L);
        Map<String, Map<Object, Set<Long>>> modelIndexes = new HashMap<>();
        INDEXED.getOrDefault(model, Set.of()).forEach(field -> modelIndexes.put(field, new HashMap<>()));
        indexes.put(model, modelIndexes);
    }

    /** Every stored field change goes through here, so the indexes stay right. */
    private void set(String model, Map<String, Object> row, String field, Object value) {
        Map<Object, Set<Long>> index = indexes.get(model).get(field);
        if (index != null) {
            Set<Long> old = index.get(key(row.get(field)));
            if (old != null) {
                old.remove(id(row));
            }
            index.computeIfAbsent(key(value), k -> new java.util.HashSet<>()).add(id(row));
        }
        row.put(field, value);
    }

    /** Numbers compare by value whatever their JSON type. */
    private static Object key(Object value) {
        return value instanceof Number n ? (Object) n.doubleValue() : value;
    }

    // --- the external API ------------------------------------------------------------------

    public Map<String, Object> versionInfo() {
        String serie = version + ".0";
        return Map.of("server_version", serie + "-20250101", "server_version_info", List.of(version, 0, 0, "final", 0, ""),
                "server_serie", serie, "protocol_version", 1);
    }

    public boolean credentialsOk(String database, String login, String secret) {
        return DATABASE.equals(database) && LOGIN.equals(login) && API_KEY.equals(secret);
    }

    /**
     * Runs a model method with named parameters (and record ids for record methods). Returns
     * {@link #isNone None} for methods that return nothing.
     */
    public synchronized boolean hasModel(String model) {
        return schema.containsKey(model);
    }

    public synchronized Object execute(String model, String method, List<Long> ids, Map<String, Object> params) {
        if (!schema.containsKey(model)) {
            throw new Fault("odoo.exceptions.UserError", "Object " + model + " doesn't exist"); // as real 17 and 19 answer
        }
        Map<String, Object> context = asMap(params.get("context"));
        return switch (method) {
            case "search_read" -> searchRead(model, params, context);
            case "search" -> search(model, list(params.get("domain")), context).stream().map(r -> id(r)).toList();
            case "search_count" -> (long) search(model, list(params.get("domain")), context).size();
            case "read" -> read(model, records(model, ids), fieldNames(model, params.get("fields")));
            case "create" -> create(model, params.get("vals_list"), context);
            case "write" -> write(model, ids, asMap(params.get("vals")));
            case "unlink" -> unlink(model, ids);
            case "fields_get" -> fieldsGet(model, params.get("attributes"));
            case "message_post" -> messagePost(model, ids, params);
            case "action_apply_inventory" -> applyInventory(model, ids);
            case "action_confirm" -> confirmOrders(model, ids);
            case "action_lock", "action_unlock" -> lockOrders(model, ids, method.equals("action_lock"));
            case "action_cancel" -> cancelOrders(model, ids, context);
            case "button_validate" -> validatePickings(model, ids);
            default -> throw new Fault("builtins.AttributeError", "The method '" + method + "' does not exist on the model '" + model + "'");
        };
    }

    /**
     * Seeds a big published catalog at once, for paging tests and benchmarks: {@code templates}
     * templates of {@code variantsPerTemplate} variants each (one "Size" attribute when more than
     * one), SKUs {@code <skuPrefix>-<template>-<variant>}, each variant with {@code quantity} on hand
     * at the warehouse's stock location. Records are the same as JSON-RPC creates would make.
     */
    public synchronized Map<String, Object> seedCatalog(int templates, int variantsPerTemplate, String skuPrefix, double price,
            double quantity) {
        long started = System.nanoTime();
        long location = (Long) tables.get("stock.warehouse").firstEntry().getValue().get("lot_stock_id");
        long attribute = 0;
        List<Long> values = new ArrayList<>();
        if (variantsPerTemplate > 1) {
            attribute = insert("product.attribute", Map.of("name", "Size"));
            for (int v = 1; v <= variantsPerTemplate; v++) {
                values.add(insert("product.attribute.value", Map.of("name", "S" + v, "attribute_id", attribute)));
            }
        }
        long first = 0;
        long last = 0;
        for (int t = 1; t <= templates; t++) {
            Map<String, Object> template = new LinkedHashMap<>();
            template.put("name", skuPrefix + " product " + t);
            template.put("list_price", price);
            template.put("description_sale", "Seeded product " + t);
            template.put("is_published", true);
            template.put("type", version >= 18 ? "consu" : "product");
            if (version >= 18) {
                template.put("is_storable", true);
            }
            long templateId = insert("product.template", template);
            List<Long> templateValues = new ArrayList<>();
            if (attribute != 0) {
                long line = insert("product.template.attribute.line", Map.of("product_tmpl_id", templateId, "attribute_id", attribute,
                        "value_ids", values));
                for (Long value : values) {
                    templateValues.add(insert("product.template.attribute.value", Map.of("product_tmpl_id", templateId,
                            "attribute_line_id", line, "attribute_id", attribute, "product_attribute_value_id", value)));
                }
            }
            for (int v = 1; v <= variantsPerTemplate; v++) {
                Map<String, Object> variant = new LinkedHashMap<>();
                variant.put("product_tmpl_id", templateId);
                variant.put("default_code", skuPrefix + "-" + t + "-" + v);
                if (attribute != 0) {
                    variant.put("product_template_attribute_value_ids", List.of(templateValues.get(v - 1)));
                }
                last = insert("product.product", variant);
                first = first == 0 ? last : first;
                insert("stock.quant", Map.of("product_id", last, "location_id", location, "quantity", quantity));
            }
        }
        return Map.of("templates", templates, "variants", (long) templates * variantsPerTemplate, "firstProductId", first,
                "lastProductId", last, "millis", (System.nanoTime() - started) / 1_000_000);
    }

    public static boolean isNone(Object result) {
        return result == NONE;
    }

    // --- reads -----------------------------------------------------------------------------

    private List<Map<String, Object>> searchRead(String model, Map<String, Object> params, Map<String, Object> context) {
        String order = params.get("order") instanceof String o ? o : "id asc";
        int offset = params.get("offset") instanceof Number n ? n.intValue() : 0;
        int limit = params.get("limit") instanceof Number n && n.intValue() > 0 ? n.intValue() : Integer.MAX_VALUE;
        // candidates come in id order: an id-ordered page can stop at its last row (paging 100k products)
        boolean byId = order.trim().replaceAll("\\s+", " ").equalsIgnoreCase("id asc") || order.trim().equalsIgnoreCase("id");
        List<Map<String, Object>> rows = search(model, list(params.get("domain")), context,
                byId ? (int) Math.min(Integer.MAX_VALUE, (long) offset + limit) : Integer.MAX_VALUE);
        rows.sort(ordering(order));
        List<Map<String, Object>> page = rows.subList(Math.min(offset, rows.size()), (int) Math.min(rows.size(), (long) offset + limit));
        return read(model, page, fieldNames(model, params.get("fields")));
    }

    private List<Map<String, Object>> search(String model, List<Object> domain, Map<String, Object> context) {
        return search(model, domain, context, Integer.MAX_VALUE);
    }

    private List<Map<String, Object>> search(String model, List<Object> domain, Map<String, Object> context, int atMost) {
        Predicate<Map<String, Object>> filter = domain(model, domain == null ? List.of() : domain);
        boolean activeTest = !Boolean.FALSE.equals(context.get("active_test"))
                && schema.get(model).containsKey("active") && !mentions(domain, "active");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> row : candidates(model, domain)) {
            if ((!activeTest || Boolean.TRUE.equals(value(model, row, "active"))) && filter.test(row)) {
                rows.add(row);
                if (rows.size() >= atMost) {
                    break;
                }
            }
        }
        return rows;
    }

    /** The rows an indexed {@code =} or {@code in} leaf allows, when the domain is a plain AND of leaves. */
    private Collection<Map<String, Object>> candidates(String model, List<Object> domain) {
        TreeMap<Long, Map<String, Object>> table = tables.get(model);
        if (domain == null || domain.stream().anyMatch(t -> !(t instanceof List<?>))) {
            return table.values();
        }
        for (Object term : domain) {
            List<?> leaf = (List<?>) term;
            if (leaf.size() == 3 && "id".equals(leaf.get(0)) && leaf.get(2) instanceof Number after
                    && (">".equals(leaf.get(1)) || ">=".equals(leaf.get(1)))) {
                return table.tailMap(after.longValue(), ">=".equals(leaf.get(1))).values();
            }
            Map<Object, Set<Long>> index = leaf.size() == 3 ? indexes.get(model).get(String.valueOf(leaf.get(0))) : null;
            if (index == null) {
                continue;
            }
            Collection<?> values = "=".equals(leaf.get(1)) ? java.util.Collections.singletonList(leaf.get(2))
                    : "in".equals(leaf.get(1)) && leaf.get(2) instanceof Collection<?> c ? c : null;
            if (values != null) {
                TreeMap<Long, Map<String, Object>> found = new TreeMap<>();
                for (Object v : values) {
                    for (Long id : index.getOrDefault(key(Boolean.FALSE.equals(v) ? null : v), Set.of())) {
                        found.put(id, table.get(id));
                    }
                }
                return found.values();
            }
        }
        return table.values();
    }

    private List<String> fieldNames(String model, Object fields) {
        List<Object> requested = list(fields);
        List<String> names = new ArrayList<>();
        if (requested == null || requested.isEmpty()) {
            names.addAll(schema.get(model).keySet());
            names.addAll(computed(model));
        } else {
            requested.forEach(f -> names.add(String.valueOf(f)));
        }
        return names;
    }

    private List<Map<String, Object>> read(String model, List<Map<String, Object>> rows, List<String> fields) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", id(row));
            for (String field : fields) {
                if (!field.equals("id")) {
                    out.put(field, readValue(model, row, field));
                }
            }
            result.add(out);
        }
        return result;
    }

    private Object readValue(String model, Map<String, Object> row, String field) {
        if (!schema.get(model).containsKey(field) && !computed(model).contains(field)) {
            throw new Fault("builtins.ValueError", "Invalid field '" + field + "' on model '" + model + "'");
        }
        Object value = value(model, row, field);
        Field spec = schema.get(model).get(field);
        if (spec != null && spec.type().equals("many2one")) {
            return value == null ? false : List.of(value, displayName(spec.relation(), (Long) value));
        }
        if (spec != null && spec.type().equals("boolean")) {
            return Boolean.TRUE.equals(value);
        }
        if (spec != null && spec.type().equals("many2many")) {
            return value == null ? List.of() : value;
        }
        return value == null ? false : value;
    }

    private Set<String> computed(String model) {
        return switch (model) {
            case "product.product" -> Set.of("lst_price", "qty_available", "display_name", "write_date", "create_date");
            case "product.template" -> Set.of("qty_available", "display_name", "write_date", "create_date", "product_variant_ids",
                    "attribute_line_ids");
            case "product.template.attribute.value" -> Set.of("name", "display_name", "write_date", "create_date");
            case "product.category" -> Set.of("complete_name", "display_name", "write_date", "create_date");
            case "sale.order" -> Set.of("order_line", "amount_total", "picking_ids", "display_name", "write_date", "create_date");
            case "stock.picking" -> Set.of("move_ids", "display_name", "write_date", "create_date");
            default -> Set.of("display_name", "write_date", "create_date");
        };
    }

    /** Stored value, a variant's template field, or a computed one. */
    private Object value(String model, Map<String, Object> row, String field) {
        switch (field) {
            case "display_name":
                return displayName(model, id(row));
            case "complete_name":
                return displayName(model, id(row));
            case "lst_price":
                return ((Number) value(model, row, "list_price")).doubleValue() + priceExtra(row);
            case "attribute_line_ids":
                return model.equals("product.template") ? attributeLinesOf(id(row)) : row.get(field);
            case "name":
                if (model.equals("product.template.attribute.value")) {
                    return tables.get("product.attribute.value").get((Long) row.get("product_attribute_value_id")).get("name");
                }
                break;
            case "qty_available":
                return onHand(model, id(row));
            case "product_variant_ids":
                return variantsOf(id(row));
            case "order_line":
                return model.equals("sale.order") ? linesOf(id(row)) : row.get(field);
            case "move_ids":
                return model.equals("stock.picking") ? List.copyOf(new java.util.TreeSet<>(indexes.get("stock.move").get("picking_id")
                        .getOrDefault(key(id(row)), Set.of()))) : row.get(field);
            case "picking_ids":
                return model.equals("sale.order") ? List.copyOf(new java.util.TreeSet<>(indexes.get("stock.picking").get("sale_id")
                        .getOrDefault(key(id(row)), Set.of()))) : row.get(field);
            case "amount_total":
                return model.equals("sale.order") ? linesOf(id(row)).stream().map(l -> tables.get("sale.order.line").get(l))
                        .mapToDouble(this::lineTotal).sum() : row.get(field);
            default:
                break;
        }
        if (model.equals("product.product") && isTemplateField(field)) {
            return tables.get("product.template").get((Long) row.get("product_tmpl_id")).get(field);
        }
        return row.get(field);
    }

    private static final Set<String> VARIANT_OWN_FIELDS = Set.of("id", "product_tmpl_id", "default_code", "barcode", "active",
            "write_date", "create_date", "product_template_attribute_value_ids");

    private static boolean isTemplateField(String field) {
        return !VARIANT_OWN_FIELDS.contains(field);
    }

    /** A variant's price adds the extras of its attribute values. */
    private double priceExtra(Map<String, Object> variant) {
        double extra = 0;
        for (Long ptav : valueIds(variant.get("product_template_attribute_value_ids"))) {
            extra += ((Number) tables.get("product.template.attribute.value").get(ptav).get("price_extra")).doubleValue();
        }
        return extra;
    }

    /** A template's attribute lines in Odoo's order: sequence, then id. */
    private List<Long> attributeLinesOf(long template) {
        TreeMap<Long, Map<String, Object>> lines = tables.get("product.template.attribute.line");
        return indexes.get("product.template.attribute.line").get("product_tmpl_id").getOrDefault(key(template), Set.of()).stream()
                .map(lines::get).sorted(Comparator.comparingLong((Map<String, Object> l) -> (Long) l.get("sequence"))
                        .thenComparingLong(SimulatedOdoo::id)).map(SimulatedOdoo::id).toList();
    }

    private static List<Long> valueIds(Object stored) {
        return stored instanceof List<?> ids ? ids.stream().map(id -> ((Number) id).longValue()).toList() : List.of();
    }

    private double onHand(String model, long id) {
        List<Long> variants = model.equals("product.product") ? List.of(id) : variantsOf(id);
        Map<Object, Set<Long>> byProduct = indexes.get("stock.quant").get("product_id");
        TreeMap<Long, Map<String, Object>> quants = tables.get("stock.quant");
        return variants.stream().flatMap(v -> byProduct.getOrDefault(key(v), Set.of()).stream())
                .mapToDouble(q -> ((Number) quants.get(q).get("quantity")).doubleValue()).sum();
    }

    private List<Long> linesOf(long order) {
        return List.copyOf(new java.util.TreeSet<>(indexes.get("sale.order.line").get("order_id").getOrDefault(key(order), Set.of())));
    }

    private List<Long> variantsOf(long template) {
        return List.copyOf(new java.util.TreeSet<>(indexes.get("product.product").get("product_tmpl_id").getOrDefault(key(template), Set.of())));
    }

    private String displayName(String model, long id) {
        Map<String, Object> row = tables.get(model).get(id);
        if (row == null) {
            return "";
        }
        if (model.equals("product.category") && row.get("parent_id") != null) {
            return displayName(model, (Long) row.get("parent_id")) + " / " + row.get("name");
        }
        if (model.equals("stock.location") && row.get("location_id") != null) {
            return displayName(model, (Long) row.get("location_id")) + "/" + row.get("name");
        }
        Object name = model.equals("product.product") || model.equals("product.template.attribute.value")
                ? value(model, row, "name") : row.get("name");
        if (model.equals("product.product") && !valueIds(row.get("product_template_attribute_value_ids")).isEmpty()) {
            // Odoo names a variant by its template and its attribute values: "Shirt (Red, M)"
            List<String> values = new ArrayList<>();
            valueIds(row.get("product_template_attribute_value_ids")).forEach(v -> values.add(displayName("product.template.attribute.value", v)));
            name = name + " (" + String.join(", ", values) + ")";
        }
        return name == null ? model + "," + id : String.valueOf(name);
    }

    private Map<String, Object> fieldsGet(String model, Object wanted) {
        Map<String, Object> fields = new LinkedHashMap<>();
        schema.get(model).forEach((name, spec) -> {
            Map<String, Object> attributes = new LinkedHashMap<>();
            attributes.put("type", spec.type());
            attributes.put("string", name);
            if (name.equals("type") && model.startsWith("product.")) {
                attributes.put("selection", productTypes().stream().map(t -> List.of(t, t)).toList());
            }
            if (spec.relation() != null) {
                attributes.put("relation", spec.relation());
            }
            if (wanted instanceof List<?> only) { // Odoo answers only the attributes asked for
                attributes.keySet().retainAll(only);
            }
            fields.put(name, attributes);
        });
        return fields;
    }

    private List<String> productTypes() {
        return version >= 18 ? List.of("consu", "service", "combo") : List.of("consu", "service", "product");
    }

    // --- writes ----------------------------------------------------------------------------

    private Object create(String model, Object valsList, Map<String, Object> context) {
        if (valsList instanceof Map<?, ?> single) {
            return createOne(model, asMap(single), context);
        }
        List<Object> many = list(valsList);
        if (many == null) {
            throw new Fault("builtins.TypeError", "create() missing 1 required positional argument: 'vals_list'");
        }
        List<Long> ids = new ArrayList<>();
        for (Object vals : many) {
            ids.add(createOne(model, asMap(vals), context));
        }
        return ids;
    }

    private long createOne(String model, Map<String, Object> given, Map<String, Object> context) {
        Object attributeLines = model.equals("product.template") ? given.get("attribute_line_ids") : null;
        Map<String, Object> vals = new LinkedHashMap<>(given);
        vals.remove("attribute_line_ids"); // not a stored field: the lines are created below
        if (!model.equals("sale.order")) { // its order_line commands are checked line by line
            validate(model, vals, true);
        }
        switch (model) {
            case "product.template" -> {
                requireName(vals);
                long template = insert(model, vals);
                if (createAttributeLines(template, attributeLines)) {
                    return template;
                }
                Map<String, Object> variant = new LinkedHashMap<>();
                variant.put("product_tmpl_id", template);
                variant.put("default_code", vals.get("default_code"));
                variant.put("barcode", vals.get("barcode"));
                variant.put("active", vals.getOrDefault("active", true));
                insert("product.product", variant);
                return template;
            }
            case "product.product" -> {
                Map<String, Object> templateVals = new LinkedHashMap<>(vals);
                templateVals.remove("product_tmpl_id");
                if (vals.get("product_tmpl_id") == null) {
                    requireName(templateVals);
                    long template = insert("product.template", templateVals);
                    Map<String, Object> variant = new LinkedHashMap<>();
                    variant.put("product_tmpl_id", template);
                    variant.put("default_code", vals.get("default_code"));
                    variant.put("barcode", vals.get("barcode"));
                    return insert(model, variant);
                }
                return insert(model, vals);
            }
            case "sale.order" -> {
                Map<String, Object> order = new LinkedHashMap<>(vals);
                Object lines = order.remove("order_line");
                validate(model, order, true);
                long id = insert(model, order);
                set(model, tables.get(model).get(id), "name", String.format("S%05d", id));
                applyLineCommands(id, lines);
                return id;
            }
            case "ir.model.data" -> {
                boolean taken = indexes.get(model).get("name").getOrDefault(key(vals.get("name")), Set.of()).stream()
                        .anyMatch(id -> Objects.equals(tables.get(model).get(id).get("module"), vals.get("module")));
                if (taken) {
                    throw new Fault("psycopg2.errors.UniqueViolation", "duplicate key value violates unique constraint"
                            + " \"ir_model_data_module_name_uniq_index\"");
                }
                return insert(model, vals);
            }
            case "mail.activity" -> {
                // Odoo computes res_model from res_model_id; the activity is the connecting user's unless given
                Map<String, Object> activity = new LinkedHashMap<>(vals);
                Map<String, Object> onModel = tables.get("ir.model").get(longOrNull(vals.get("res_model_id")));
                if (onModel == null || vals.get("res_id") == null) {
                    throw new Fault("psycopg2.errors.NotNullViolation", "null value in column \"res_model_id\" of relation"
                            + " \"mail_activity\" violates not-null constraint");
                }
                activity.put("res_model", onModel.get("model"));
                activity.putIfAbsent("user_id", UID);
                activity.putIfAbsent("date_deadline", java.time.LocalDate.now().toString());
                return insert("mail.activity", activity);
            }
            case "stock.quant" -> {
                if (Boolean.TRUE.equals(context.get("inventory_mode"))) {
                    Long product = longOrNull(vals.get("product_id"));
                    for (Long quantId : indexes.get(model).get("product_id").getOrDefault(key(product), Set.of())) {
                        Map<String, Object> quant = tables.get(model).get(quantId);
                        if (Objects.equals(quant.get("location_id"), longOrNull(vals.get("location_id")))) {
                            quant.put("inventory_quantity", number(vals.get("inventory_quantity")));
                            touch(quant);
                            return id(quant);
                        }
                    }
                    Map<String, Object> quant = new LinkedHashMap<>(vals);
                    quant.put("quantity", 0.0);
                    return insert(model, quant);
                }
                throw new Fault("odoo.exceptions.UserError", "Quants cannot be created for consumables or services.");
            }
            default -> {
                return insert(model, vals);
            }
        }
    }

    /**
     * {@code attribute_line_ids: [[0,0,{attribute_id, value_ids:[[6,0,ids]]}], ...]} on a new template:
     * its lines, a template value per attribute value, and one variant per combination, as Odoo
     * generates them. Returns false when there is no line (the template keeps its single variant).
     */
    private boolean createAttributeLines(long template, Object commands) {
        boolean created = false;
        for (Object command : commands instanceof List<?> l ? l : List.of()) {
            List<Object> c = list(command);
            if (c == null || c.size() != 3 || !(c.get(0) instanceof Number code) || code.intValue() != 0) {
                throw new Fault("builtins.ValueError", "Only [0, 0, values] commands create attribute lines: " + command);
            }
            Map<String, Object> line = new LinkedHashMap<>(asMap(c.get(2)));
            line.put("product_tmpl_id", template);
            validate("product.template.attribute.line", line, true);
            List<Long> values = many2many(line.getOrDefault("value_ids", List.of()));
            if (line.get("attribute_id") == null || values.isEmpty()) {
                throw new Fault("odoo.exceptions.ValidationError", "The attribute line needs an attribute and at least one value.");
            }
            long lineId = insert("product.template.attribute.line", line);
            addTemplateValues(template, lineId, values);
            created = true;
        }
        if (!created) {
            return false;
        }
        createMissingVariants(template);
        return true;
    }

    /** A template value (name, price_extra) per attribute value the line gains; each must belong to the line's attribute. */
    private void addTemplateValues(long template, long lineId, List<Long> values) {
        Map<String, Object> line = tables.get("product.template.attribute.line").get(lineId);
        for (Long value : values) {
            Map<String, Object> attributeValue = tables.get("product.attribute.value").get(value);
            if (attributeValue == null || !Objects.equals(attributeValue.get("attribute_id"), line.get("attribute_id"))) {
                throw new Fault("odoo.exceptions.ValidationError", "Value " + value + " does not belong to attribute " + line.get("attribute_id"));
            }
            insert("product.template.attribute.value", Map.of("product_tmpl_id", template,
                    "attribute_line_id", lineId, "attribute_id", line.get("attribute_id"), "product_attribute_value_id", value));
        }
    }

    /**
     * One variant per combination of the template's values that has none yet, as Odoo generates
     * them when lines are created or gain values. A template with a single combination keeps its
     * reference and barcode on that variant.
     */
    private void createMissingVariants(long template) {
        List<Long> lines = List.copyOf(new java.util.TreeSet<>(indexes.get("product.template.attribute.line").get("product_tmpl_id")
                .getOrDefault(key(template), Set.of())));
        List<List<Long>> combinations = List.of(List.of());
        for (Long lineId : lines) {
            List<Long> lineValues = List.copyOf(new java.util.TreeSet<>(indexes.get("product.template.attribute.value")
                    .get("attribute_line_id").getOrDefault(key(lineId), Set.of())));
            List<List<Long>> next = new ArrayList<>();
            for (List<Long> combination : combinations) {
                for (Long value : lineValues) {
                    List<Long> longer = new ArrayList<>(combination);
                    longer.add(value);
                    next.add(longer);
                }
            }
            combinations = next;
        }
        Set<Set<Long>> existing = new java.util.HashSet<>();
        for (Long variant : variantsOf(template)) {
            existing.add(Set.copyOf(valueIds(tables.get("product.product").get(variant).get("product_template_attribute_value_ids"))));
        }
        Map<String, Object> templateRow = tables.get("product.template").get(template);
        for (List<Long> combination : combinations) {
            if (existing.contains(Set.copyOf(combination))) {
                continue;
            }
            Map<String, Object> variant = new LinkedHashMap<>();
            variant.put("product_tmpl_id", template);
            variant.put("product_template_attribute_value_ids", combination);
            if (combinations.size() == 1) {
                variant.put("default_code", templateRow.get("default_code"));
                variant.put("barcode", templateRow.get("barcode"));
            }
            insert("product.product", variant);
        }
    }

    private static void requireName(Map<String, Object> vals) {
        if (vals.get("name") == null || String.valueOf(vals.get("name")).isBlank()) {
            throw new Fault("odoo.exceptions.ValidationError",
                    "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Field: Name");
        }
    }

    private Object write(String model, List<Long> ids, Map<String, Object> vals) {
        if (model.equals("product.template.attribute.line") && vals.containsKey("value_ids")) {
            Map<String, Object> rest = new LinkedHashMap<>(vals);
            Object commands = rest.remove("value_ids");
            for (Map<String, Object> line : records(model, ids)) {
                List<Long> values = new ArrayList<>(valueIds(line.get("value_ids")));
                List<Long> added = new ArrayList<>();
                for (Object command : list(commands)) {
                    List<Object> c = list(command);
                    if (c == null || c.size() < 2 || !(c.get(0) instanceof Number code) || code.intValue() != 4) {
                        throw new Fault("builtins.ValueError", "Only [4, id] commands add values to an attribute line here: " + command);
                    }
                    long value = ((Number) c.get(1)).longValue();
                    if (!values.contains(value)) {
                        values.add(value);
                        added.add(value);
                    }
                }
                long template = (Long) line.get("product_tmpl_id");
                addTemplateValues(template, id(line), added);
                set(model, line, "value_ids", values);
                touch(line);
                createMissingVariants(template);
            }
            return rest.isEmpty() ? true : write(model, ids, rest);
        }
        if (model.equals("sale.order") && vals.containsKey("order_line")) {
            Map<String, Object> rest = new LinkedHashMap<>(vals);
            Object lines = rest.remove("order_line");
            for (Map<String, Object> order : records(model, ids)) {
                applyLineCommands(id(order), lines);
            }
            return write(model, ids, rest);
        }
        validate(model, vals, false);
        if (model.equals("sale.order.line")) {
            // the order's amounts are recomputed: its write_date moves, as in real Odoo 17 and 19 (RealOdooIT)
            records(model, ids).forEach(line -> touch(tables.get("sale.order").get((Long) line.get("order_id"))));
        }
        for (Map<String, Object> row : records(model, ids)) {
            if (model.equals("product.product")) {
                Map<String, Object> templateVals = new LinkedHashMap<>();
                vals.forEach((k, v) -> {
                    if (isTemplateField(k)) {
                        templateVals.put(k, v);
                    } else {
                        set(model, row, k, normalise(model, k, v));
                    }
                });
                Map<String, Object> template = tables.get("product.template").get((Long) row.get("product_tmpl_id"));
                templateVals.forEach((k, v) -> set("product.template", template, k, normalise("product.template", k, v)));
                touch(template);
            } else {
                vals.forEach((k, v) -> set(model, row, k, normalise(model, k, v)));
                if (model.equals("product.template")) {
                    propagateToSingleVariant(id(row), vals);
                }
                if (model.equals("stock.picking") && "done".equals(vals.get("state"))) {
                    deliveryDone(row);
                }
            }
            touch(row);
        }
        return true;
    }

    private void propagateToSingleVariant(long template, Map<String, Object> vals) {
        List<Long> variants = variantsOf(template);
        if (variants.size() == 1) {
            Map<String, Object> variant = tables.get("product.product").get(variants.get(0));
            for (String shared : List.of("default_code", "barcode", "active")) {
                if (vals.containsKey(shared)) {
                    set("product.product", variant, shared, normalise("product.product", shared, vals.get(shared)));
                }
            }
        }
    }

    private Object unlink(String model, List<Long> ids) {
        for (Map<String, Object> row : records(model, ids)) {
            indexes.get(model).forEach((field, index) -> index.getOrDefault(key(row.get(field)), new java.util.HashSet<>()).remove(id(row)));
            tables.get(model).remove(id(row));
        }
        return true;
    }

    private Object messagePost(String model, List<Long> ids, Map<String, Object> params) {
        List<Map<String, Object>> rows = records(model, ids);
        if (rows.size() != 1) {
            throw new Fault("builtins.ValueError", "Expected singleton: " + model + "(" + ids + ")");
        }
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("model", model);
        message.put("res_id", id(rows.get(0)));
        message.put("body", params.getOrDefault("body", ""));
        message.put("message_type", params.getOrDefault("message_type", "notification"));
        return new Records(List.of(insert("mail.message", message)));
    }

    /**
     * A method's answer that is a recordset: JSON-2 answers its ids, JSON-RPC the single id Odoo's
     * {@code @api.returns} gives old-style callers (both as real Odoo 17 and 19 answered message_post).
     */
    public record Records(List<Long> ids) {
        public Object overJsonRpc() {
            return ids.size() == 1 ? ids.get(0) : ids;
        }
    }

    /** One2many commands: {@code [0,0,vals]} create, {@code [1,id,vals]} update, {@code [2,id]} delete, {@code [5,0,0]} remove all, {@code [6,0,ids]} replace. */
    private void applyLineCommands(long order, Object commands) {
        List<Object> list = list(commands);
        if (list == null) {
            return;
        }
        for (Object command : list) {
            List<Object> c = list(command);
            int code = c == null || c.isEmpty() ? -1 : ((Number) c.get(0)).intValue();
            switch (code) {
                case 0 -> {
                    Map<String, Object> line = new LinkedHashMap<>(asMap(c.get(2)));
                    line.put("order_id", order);
                    validate("sale.order.line", line, true);
                    if (line.get("product_id") == null) {
                        throw new Fault("odoo.exceptions.ValidationError", "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Field: Product");
                    }
                    insert("sale.order.line", line);
                }
                case 1 -> write("sale.order.line", List.of(((Number) c.get(1)).longValue()), asMap(c.get(2)));
                case 2 -> unlink("sale.order.line", List.of(((Number) c.get(1)).longValue()));
                case 5, 6 -> {
                    for (Long line : linesOf(order)) {
                        unlink("sale.order.line", List.of(line));
                    }
                }
                default -> throw new Fault("builtins.ValueError", "Invalid command " + command);
            }
        }
    }

    /** sale.order.action_lock / action_unlock (16+): a locked order keeps its lines and refuses a cancel; answers None. */
    private Object lockOrders(String model, List<Long> ids, boolean locked) {
        if (!model.equals("sale.order")) {
            throw new Fault("builtins.AttributeError", "The method 'action_" + (locked ? "" : "un") + "lock' does not exist on the model '"
                    + model + "'");
        }
        for (Map<String, Object> order : records(model, ids)) {
            set(model, order, "locked", locked);
            touch(order);
        }
        return NONE;
    }

    private Object confirmOrders(String model, List<Long> ids) {
        for (Map<String, Object> order : records(model, ids)) {
            if (!List.of("draft", "sent").contains(order.get("state"))) {
                throw new Fault("odoo.exceptions.UserError", "Some orders are not in a state requiring confirmation.");
            }
            set(model, order, "state", "sale");
            touch(order);
            createDelivery(order);
        }
        return true;
    }

    /** Confirming a sale order creates its outgoing delivery, ready to ship, with a move per storable line. */
    private void createDelivery(Map<String, Object> order) {
        List<Map<String, Object>> moves = new ArrayList<>();
        for (Long lineId : linesOf(id(order))) {
            Map<String, Object> line = tables.get("sale.order.line").get(lineId);
            Map<String, Object> product = tables.get("product.product").get((Long) line.get("product_id"));
            if (!"service".equals(value("product.product", product, "type"))) {
                moves.add(new LinkedHashMap<>(Map.of("product_id", line.get("product_id"), "name", String.valueOf(line.get("name")),
                        "product_uom_qty", line.get("product_uom_qty"), "state", "assigned")));
            }
        }
        if (moves.isEmpty()) {
            return;
        }
        Object partner = order.get("partner_shipping_id") != null ? order.get("partner_shipping_id") : order.get("partner_id");
        Map<String, Object> picking = new LinkedHashMap<>();
        picking.put("origin", order.get("name"));
        picking.put("sale_id", id(order));
        picking.put("partner_id", partner);
        picking.put("picking_type_code", "outgoing");
        picking.put("state", "assigned");
        long pickingId = insert("stock.picking", picking);
        set("stock.picking", tables.get("stock.picking").get(pickingId), "name", String.format("WH/OUT/%05d", pickingId));
        for (Map<String, Object> move : moves) {
            move.put("picking_id", pickingId);
            insert("stock.move", move);
            reserve((Long) move.get("product_id"), ((Number) move.get("product_uom_qty")).doubleValue());
        }
    }

    /**
     * A delivery holds stock as Odoo's reservation does: {@code reserved_quantity} on the product's quants,
     * as far as they have it free; a negative amount releases, in the reverse order.
     */
    private void reserve(long product, double amount) {
        TreeMap<Long, Map<String, Object>> quants = tables.get("stock.quant");
        List<Long> ids = new ArrayList<>(new java.util.TreeSet<>(indexes.get("stock.quant").get("product_id").getOrDefault(key(product), Set.of())));
        if (amount < 0) {
            java.util.Collections.reverse(ids);
        }
        double left = amount;
        for (Long id : ids) {
            if (left == 0) {
                break;
            }
            Map<String, Object> quant = quants.get(id);
            double quantity = ((Number) quant.get("quantity")).doubleValue();
            double reserved = ((Number) quant.get("reserved_quantity")).doubleValue();
            double change = left > 0 ? Math.min(left, Math.max(0, quantity - reserved)) : Math.max(left, -reserved);
            if (change != 0) {
                quant.put("reserved_quantity", reserved + change);
                touch(quant);
                left -= change;
            }
        }
    }

    /** Shipping takes the moved quantity out of stock, and out of what was reserved for it. */
    private void consume(long product, double amount) {
        reserve(product, -amount);
        TreeMap<Long, Map<String, Object>> quants = tables.get("stock.quant");
        double left = amount;
        for (Long id : new java.util.TreeSet<>(indexes.get("stock.quant").get("product_id").getOrDefault(key(product), Set.of()))) {
            Map<String, Object> quant = quants.get(id);
            double quantity = ((Number) quant.get("quantity")).doubleValue();
            double taken = Math.min(left, Math.max(0, quantity));
            if (taken > 0) {
                quant.put("quantity", quantity - taken);
                touch(quant);
                left -= taken;
            }
        }
    }

    /** stock.picking.button_validate with everything delivered (no backorder): the pickings become done. */
    private Object validatePickings(String model, List<Long> ids) {
        if (!model.equals("stock.picking")) {
            throw new Fault("builtins.AttributeError", "The method 'button_validate' does not exist on the model '" + model + "'");
        }
        for (Map<String, Object> picking : records(model, ids)) {
            if (!"done".equals(picking.get("state")) && !"cancel".equals(picking.get("state"))) {
                set(model, picking, "state", "done");
                deliveryDone(picking);
                touch(picking);
                if (picking.get("sale_id") != null) {
                    // its delivery status is recomputed: real Odoo 17 and 19 move the sale order's write_date (RealOdooIT)
                    touch(tables.get("sale.order").get((Long) picking.get("sale_id")));
                }
            }
        }
        return true;
    }

    /** A delivery set to done (as validating it does) gets its done date and its moves done. */
    private void deliveryDone(Map<String, Object> picking) {
        if (picking.get("date_done") == null) {
            set("stock.picking", picking, "date_done", now());
        }
        for (Long move : indexes.get("stock.move").get("picking_id").getOrDefault(key(id(picking)), Set.of())) {
            Map<String, Object> row = tables.get("stock.move").get(move);
            if (!"done".equals(row.get("state"))) {
                consume((Long) row.get("product_id"), ((Number) row.get("product_uom_qty")).doubleValue());
            }
            set("stock.move", row, "state", "done");
            touch(row);
        }
    }

    /**
     * As sale.order.action_cancel: a locked order (or a done one, up to 16) is refused; up to 18 an order
     * past draft is not cancelled unless the context says {@code disable_cancel_warning}, the cancel wizard's
     * window action is returned instead; 19 cancels directly.
     */
    private Object cancelOrders(String model, List<Long> ids, Map<String, Object> context) {
        List<Map<String, Object>> orders = records(model, ids);
        if (orders.stream().anyMatch(o -> "done".equals(o.get("state")) || Boolean.TRUE.equals(o.get("locked")))) {
            throw new Fault("odoo.exceptions.UserError", "You cannot cancel a locked order. Please unlock it first.");
        }
        if (version < 19 && !Boolean.TRUE.equals(context.get("disable_cancel_warning"))
                && orders.stream().anyMatch(o -> !"draft".equals(o.get("state")))) {
            if (orders.size() != 1) {
                throw new Fault("builtins.ValueError", "Expected singleton: " + model + "(" + ids + ")");
            }
            return Map.of("name", "Cancel Sales Order", "view_mode", "form", "res_model", "sale.order.cancel",
                    "view_id", 1065, "type", "ir.actions.act_window", "target", "new",
                    "context", Map.of("default_order_id", ids.get(0), "mark_so_as_canceled", true, "default_template_id", 14,
                            "default_email_layout_xmlid", "mail.mail_notification_layout_with_responsible_signature",
                            "model_description", "Sales Order"));
        }
        for (Map<String, Object> order : orders) {
            set(model, order, "state", "cancel");
            touch(order);
            for (Long picking : indexes.get("stock.picking").get("sale_id").getOrDefault(key(id(order)), Set.of())) {
                Map<String, Object> delivery = tables.get("stock.picking").get(picking);
                if (!"done".equals(delivery.get("state"))) {
                    set("stock.picking", delivery, "state", "cancel");
                    touch(delivery);
                    for (Long move : indexes.get("stock.move").get("picking_id").getOrDefault(key(picking), Set.of())) {
                        Map<String, Object> row = tables.get("stock.move").get(move);
                        if (!"cancel".equals(row.get("state"))) {
                            reserve((Long) row.get("product_id"), -((Number) row.get("product_uom_qty")).doubleValue());
                            set("stock.move", row, "state", "cancel");
                            touch(row);
                        }
                    }
                }
            }
        }
        return true;
    }

    private Object applyInventory(String model, List<Long> ids) {
        if (!model.equals("stock.quant")) {
            throw new Fault("builtins.AttributeError", "The method 'action_apply_inventory' does not exist on the model '" + model + "'");
        }
        for (Map<String, Object> quant : records(model, ids)) {
            quant.put("quantity", quant.get("inventory_quantity"));
            quant.put("inventory_quantity", 0.0);
            touch(quant);
        }
        return NONE;
    }

    /** Quantity times price, plus the line's taxes (all percentages, excluded from the price). */
    private double lineTotal(Map<String, Object> line) {
        double untaxed = ((Number) line.get("product_uom_qty")).doubleValue() * ((Number) line.get("price_unit")).doubleValue();
        double rate = 0;
        for (Object tax : (List<?>) line.getOrDefault(saleLineTaxes(), List.of())) {
            rate += ((Number) tables.get("account.tax").get(((Number) tax).longValue()).get("amount")).doubleValue();
        }
        return Math.round(untaxed * (100 + rate)) / 100.0;
    }

    private String saleLineTaxes() {
        return version >= 19 ? "tax_ids" : "tax_id";
    }

    private void validate(String model, Map<String, Object> vals, boolean creating) {
        Map<String, Field> fields = schema.get(model);
        for (Map.Entry<String, Object> entry : vals.entrySet()) {
            Field spec = fields.get(entry.getKey());
            if (spec == null) {
                throw new Fault("builtins.ValueError", "Invalid field '" + entry.getKey() + "' on model '" + model + "'");
            }
            Object value = entry.getValue();
            if (entry.getKey().equals("type") && model.startsWith("product.") && !productTypes().contains(String.valueOf(value))) {
                throw new Fault("builtins.ValueError", "Wrong value for " + model + ".type: '" + value + "'");
            }
            if (spec.type().equals("many2one") && value != null && !Boolean.FALSE.equals(value)
                    && !tables.get(spec.relation()).containsKey(((Number) value).longValue())) {
                throw new Fault("odoo.exceptions.MissingError", "Record does not exist or has been deleted.\n(Record: "
                        + spec.relation() + "(" + value + ",), User: " + UID + ")");
            }
        }
        if (vals.get("barcode") instanceof String barcode && !barcode.isEmpty() && model.startsWith("product.")) {
            boolean taken = tables.get("product.product").values().stream().anyMatch(v -> barcode.equals(v.get("barcode")));
            if (taken) {
                throw new Fault("odoo.exceptions.ValidationError", "Barcode(s) already assigned:\n\n- Barcode \"" + barcode
                        + "\" already assigned to product(s): another product");
            }
        }
    }

    private long insert(String model, Map<String, Object> vals) {
        long id = sequences.merge(model, 1L, Long::sum);
        Map<String, Object> row = new LinkedHashMap<>();
        schema.get(model).forEach((name, spec) -> {
            // a variant reads its template's fields from the template: no dead copies per variant
            if (spec.defaultValue() != null && !(model.equals("product.product") && isTemplateField(name))) {
                row.put(name, spec.defaultValue());
            }
        });
        row.put("id", id);
        vals.forEach((k, v) -> set(model, row, k, normalise(model, k, v)));
        indexes.get(model).keySet().forEach(field -> {
            if (!vals.containsKey(field)) {
                set(model, row, field, row.get(field)); // index the default too
            }
        });
        String now = now();
        row.put("create_date", now);
        row.put("write_date", now);
        tables.get(model).put(id, row);
        return id;
    }

    private Object normalise(String model, String field, Object value) {
        Field spec = schema.get(model).get(field);
        if (value == null || Boolean.FALSE.equals(value) && spec != null && !spec.type().equals("boolean")) {
            return null;
        }
        if (spec != null && spec.type().equals("many2one")) {
            return ((Number) value).longValue();
        }
        if (spec != null && spec.type().equals("float")) {
            return number(value);
        }
        if (spec != null && spec.type().equals("integer")) {
            return ((Number) value).longValue();
        }
        if (spec != null && spec.type().equals("many2many")) {
            return many2many(value);
        }
        return value;
    }

    /** Plain ids, or the commands {@code [6,0,ids]} (replace) and {@code [4,id]} (link). */
    private static List<Long> many2many(Object value) {
        List<Long> ids = new ArrayList<>();
        for (Object item : value instanceof Collection<?> c ? c : List.of(value)) {
            if (item instanceof Number n) {
                ids.add(n.longValue());
            } else if (item instanceof List<?> command && !command.isEmpty() && command.get(0) instanceof Number code) {
                switch (code.intValue()) {
                    case 6 -> {
                        ids.clear();
                        ((Collection<?>) command.get(2)).forEach(id -> ids.add(((Number) id).longValue()));
                    }
                    case 4 -> ids.add(((Number) command.get(1)).longValue());
                    default -> throw new Fault("builtins.ValueError", "Unsupported many2many command " + command);
                }
            } else {
                throw new Fault("builtins.ValueError", "Invalid many2many value " + value);
            }
        }
        return ids;
    }

    private static void touch(Map<String, Object> row) {
        row.put("write_date", now());
    }

    private static String lastNow = "";
    private static long lastNowSecond;

    /** Odoo's write_date: UTC, to the second (one shared string per second keeps 100k rows lean). */
    private static synchronized String now() {
        long second = System.currentTimeMillis() / 1000;
        if (second != lastNowSecond) {
            lastNow = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC).format(ODOO_DATETIME);
            lastNowSecond = second;
        }
        return lastNow;
    }

    // --- domains ---------------------------------------------------------------------------

    private Predicate<Map<String, Object>> domain(String model, List<Object> terms) {
        int[] position = {0};
        Predicate<Map<String, Object>> all = row -> true;
        while (position[0] < terms.size()) {
            all = all.and(term(model, terms, position));
        }
        return all;
    }

    private Predicate<Map<String, Object>> term(String model, List<Object> terms, int[] position) {
        Object term = terms.get(position[0]++);
        if ("&".equals(term)) {
            return term(model, terms, position).and(term(model, terms, position));
        }
        if ("|".equals(term)) {
            return term(model, terms, position).or(term(model, terms, position));
        }
        if ("!".equals(term)) {
            return term(model, terms, position).negate();
        }
        List<Object> leaf = list(term);
        if (leaf == null || leaf.size() != 3) {
            throw new Fault("builtins.ValueError", "Invalid leaf " + term);
        }
        String field = String.valueOf(leaf.get(0));
        String operator = String.valueOf(leaf.get(1)).toLowerCase();
        Object expected = leaf.get(2);
        if (!field.equals("id") && !schema.get(model).containsKey(field) && !computed(model).contains(field)) {
            throw new Fault("builtins.ValueError", "Invalid field " + model + "." + field + " in leaf " + term);
        }
        if (operator.equals("child_of")) {
            Set<Object> subtree = subtree(field.equals("id") ? model : schema.get(model).get(field).relation(), expected);
            return row -> subtree.contains(key(field.equals("id") ? id(row) : value(model, row, field)));
        }
        if ((operator.equals("in") || operator.equals("not in")) && expected instanceof Collection<?> values) {
            Set<Object> keys = new java.util.HashSet<>();
            values.forEach(v -> keys.add(key(Boolean.FALSE.equals(v) ? null : v)));
            boolean in = operator.equals("in");
            return row -> keys.contains(key(field.equals("id") ? id(row) : value(model, row, field))) == in;
        }
        return row -> matches(field.equals("id") ? id(row) : value(model, row, field), operator, expected);
    }

    /** The given records and all their descendants, by the model's parent field (keys as the indexes compare them). */
    private Set<Object> subtree(String model, Object roots) {
        String parentField = model.equals("stock.location") ? "location_id" : "parent_id";
        if (!schema.get(model).containsKey(parentField)) {
            throw new Fault("builtins.ValueError", "Invalid domain: 'child_of' on a model without hierarchy " + model);
        }
        Set<Object> found = new java.util.HashSet<>();
        (roots instanceof Collection<?> c ? c : List.of(roots)).forEach(r -> found.add(key(r)));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map<String, Object> row : tables.get(model).values()) {
                if (row.get(parentField) != null && found.contains(key(row.get(parentField))) && found.add(key(id(row)))) {
                    grew = true;
                }
            }
        }
        return found;
    }

    private static boolean matches(Object actual, String operator, Object expected) {
        Object want = Boolean.FALSE.equals(expected) ? null : expected;
        return switch (operator) {
            case "=" -> same(actual, want);
            case "!=" -> !same(actual, want);
            case "<", "<=", ">", ">=" -> actual != null && compare(actual, want, operator);
            // SQL patterns, as Odoo's: like and ilike look for the value anywhere, =like and =ilike take it as the pattern
            case "like", "ilike", "=like", "=ilike" -> actual != null && want != null && sqlLike(String.valueOf(actual),
                    operator.startsWith("=") ? String.valueOf(want) : "%" + want + "%", operator.endsWith("ilike"));
            default -> throw new Fault("builtins.ValueError", "Invalid search operator " + operator);
        };
    }

    private static boolean sqlLike(String value, String pattern, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            regex.append(ch == '%' ? ".*" : ch == '_' ? "." : java.util.regex.Pattern.quote(String.valueOf(ch)));
        }
        return java.util.regex.Pattern.compile(regex.toString(), ignoreCase ? java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.DOTALL
                : java.util.regex.Pattern.DOTALL).matcher(value).matches();
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return Objects.equals(a, b);
    }

    private static boolean compare(Object actual, Object expected, String operator) {
        int c = actual instanceof Number x && expected instanceof Number y ? Double.compare(x.doubleValue(), y.doubleValue())
                : String.valueOf(actual).compareTo(String.valueOf(expected));
        return switch (operator) {
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c >= 0;
        };
    }

    private static boolean mentions(List<Object> domain, String field) {
        return domain != null && domain.stream().anyMatch(t -> t instanceof List<?> l && !l.isEmpty() && field.equals(l.get(0)));
    }

    private Comparator<Map<String, Object>> ordering(String order) {
        Comparator<Map<String, Object>> comparator = null;
        for (String part : order.split(",")) {
            String[] words = part.trim().split("\\s+");
            String field = words[0];
            Comparator<Map<String, Object>> next = (a, b) -> compareValues(
                    field.equals("id") ? id(a) : a.get(field), field.equals("id") ? id(b) : b.get(field));
            if (words.length > 1 && words[1].equalsIgnoreCase("desc")) {
                next = next.reversed();
            }
            comparator = comparator == null ? next : comparator.thenComparing(next);
        }
        return comparator;
    }

    /** Odoo sorts empty values first; numbers by value, anything else by its text. */
    private static int compareValues(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
    }

    // --- helpers ---------------------------------------------------------------------------

    private List<Map<String, Object>> records(String model, List<Long> ids) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Long id : ids == null ? List.<Long>of() : ids) {
            Map<String, Object> row = tables.get(model).get(id);
            if (row == null) {
                throw new Fault("odoo.exceptions.MissingError", "Record does not exist or has been deleted.\n(Record: "
                        + model + "(" + id + ",), User: " + UID + ")");
            }
            rows.add(row);
        }
        return rows;
    }

    private static long id(Map<String, Object> row) {
        return (Long) row.get("id");
    }

    private static Long longOrNull(Object value) {
        return value instanceof Number n ? n.longValue() : null;
    }

    private static double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(value));
        } catch (NumberFormatException e) {
            throw new Fault("builtins.ValueError", "could not convert string to float: '" + value + "'");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new Fault("builtins.TypeError", "expected a dict, got " + value);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : null;
    }
}

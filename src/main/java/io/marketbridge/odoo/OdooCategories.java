package io.marketbridge.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Product categories in bulk, for importing a whole category tree: reads and creates a page of
 * records per call (Odoo's {@code create} takes a list), so thousands of categories cost a few
 * dozen calls rather than thousands.
 */
@Singleton
public class OdooCategories {

    public static final String MODEL = "product.category";
    /** Records per call: large enough to keep calls few, small enough for one Odoo transaction. */
    static final int PAGE = 500;

    private final OdooClient odoo;

    OdooCategories(OdooClient odoo) {
        this.odoo = odoo;
    }

    /** A product category as read from Odoo; {@code parentId} is null for a top-level one. */
    public record Category(long id, String name, Long parentId) {
    }

    /** An {@code ir.model.data} record {@code marketbridge.<name>} pointing at a category. */
    public record ExternalId(long id, String name, long resId) {
    }

    /** The category external ids among {@code names} (module {@code marketbridge}), by name. */
    public Map<String, ExternalId> externalIds(Collection<String> names) {
        Map<String, ExternalId> found = new HashMap<>();
        for (List<String> page : pages(names)) {
            for (JsonNode row : odoo.searchRead("ir.model.data", List.of(List.of("module", "=", OdooCatalog.MODULE),
                    List.of("model", "=", MODEL), List.of("name", "in", page)), List.of("name", "res_id"), null, null, null)) {
                ExternalId id = new ExternalId(row.get("id").asLong(), row.path("name").asText(), row.path("res_id").asLong());
                found.put(id.name(), id);
            }
        }
        return found;
    }

    /** The categories that still exist among {@code ids}, by id. */
    public Map<Long, Category> byIds(Collection<Long> ids) {
        Map<Long, Category> found = new HashMap<>();
        for (List<Long> page : pages(ids)) {
            for (JsonNode row : odoo.searchRead(MODEL, List.of(List.of("id", "in", page)), List.of("name", "parent_id"), null, null, null)) {
                Category category = category(row);
                found.put(category.id(), category);
            }
        }
        return found;
    }

    /** The children of {@code parents} whose name is among {@code names}, in id order. */
    public List<Category> childrenNamed(Collection<Long> parents, Collection<String> names) {
        List<Category> found = new ArrayList<>();
        for (List<String> page : pages(names)) {
            for (JsonNode row : odoo.searchRead(MODEL, List.of(List.of("parent_id", "in", List.copyOf(parents)), List.of("name", "in", page)),
                    List.of("name", "parent_id"), null, "id asc", null)) {
                found.add(category(row));
            }
        }
        return found;
    }

    /** Creates {@code name → parent} categories a page per call; the ids come back in the same order. */
    public List<Long> create(List<Map<String, Object>> categories) {
        List<Long> ids = new ArrayList<>();
        for (List<Map<String, Object>> page : pages(categories)) {
            ids.addAll(odoo.create(MODEL, page, null));
        }
        return ids;
    }

    /** Records {@code marketbridge.<name>} → category for every entry, a page per call. */
    public void createExternalIds(Map<String, Long> categoryByName) {
        List<Map<String, Object>> records = new ArrayList<>();
        categoryByName.forEach((name, resId) -> {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("module", OdooCatalog.MODULE);
            values.put("name", name);
            values.put("model", MODEL);
            values.put("res_id", resId);
            records.add(values);
        });
        for (List<Map<String, Object>> page : pages(records)) {
            odoo.create("ir.model.data", page, null);
        }
    }

    /** An external id whose category was deleted in Odoo, pointed at its replacement. */
    public void repoint(ExternalId externalId, long resId) {
        odoo.write("ir.model.data", List.of(externalId.id()), Map.of("res_id", resId));
    }

    public void write(long id, Map<String, Object> values) {
        odoo.write(MODEL, List.of(id), values);
    }

    private static <T> List<List<T>> pages(Collection<T> all) {
        List<T> list = List.copyOf(all);
        List<List<T>> pages = new ArrayList<>();
        for (int from = 0; from < list.size(); from += PAGE) {
            pages.add(list.subList(from, Math.min(list.size(), from + PAGE)));
        }
        return pages;
    }

    private static Category category(JsonNode row) {
        JsonNode parent = row.path("parent_id");
        return new Category(row.get("id").asLong(), row.path("name").asText(), parent.isArray() ? parent.path(0).asLong() : null);
    }
}

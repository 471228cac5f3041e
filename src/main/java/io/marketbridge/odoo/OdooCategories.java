package io.marketbridge.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketbridge.model.CategoryTree;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.Exchange;
import org.jboss.logging.Logger;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Product categories in bulk, for importing a whole category tree: reads and creates a page of
 * records per call (Odoo's {@code create} takes a list), so thousands of categories cost a few
 * dozen calls rather than thousands.
 */
@Singleton
@Named("odooCategories")
public class OdooCategories {

    private static final Logger LOG = Logger.getLogger(OdooCategories.class);

    public static final String MODEL = "product.category";
    /** Records per call: large enough to keep calls few, small enough for one Odoo transaction. */
    static final int PAGE = 500;

    private final OdooClient odoo;
    private final OdooCatalog catalog;

    OdooCategories(OdooClient odoo, OdooCatalog catalog) {
        this.odoo = odoo;
        this.catalog = catalog;
    }

    /**
     * Writes a channel's tree under its root, parents first, a level at a time: a node whose external id
     * names a living category is renamed or moved when it differs; one without is adopted from a category
     * of its name under its parent that no node owns yet, or created, a page per call; then its external id.
     * An unchanged tree costs no write. Leaves what it did in {@link CategoryTree#WRITTEN}.
     */
    public void upsertTree(CategoryTree tree, Exchange exchange) {
        Counts counts = new Counts();
        long rootId = catalog.category(tree.rootPath());
        Map<String, ExternalId> known = externalIds(tree.nodes().stream().map(n -> externalIdName(tree, n.id())).toList());
        Map<Long, Category> existing = byIds(known.values().stream().map(ExternalId::resId).toList());
        // categories some node already owns are never adopted by another one
        Set<Long> owned = new HashSet<>(existing.keySet());
        Map<String, Long> odooIds = new HashMap<>();

        Map<Integer, List<CategoryTree.Node>> levels = new TreeMap<>();
        tree.nodes().forEach(n -> levels.computeIfAbsent(n.level(), l -> new ArrayList<>()).add(n));
        for (List<CategoryTree.Node> level : levels.values()) {
            List<CategoryTree.Node> missing = new ArrayList<>();
            for (CategoryTree.Node node : level) {
                long parent = parentId(node, rootId, odooIds);
                ExternalId externalId = known.get(externalIdName(tree, node.id()));
                Category odooCategory = externalId == null ? null : existing.get(externalId.resId());
                if (odooCategory == null) {
                    missing.add(node);
                    continue;
                }
                odooIds.put(node.id(), odooCategory.id());
                Map<String, Object> changes = new LinkedHashMap<>();
                if (!odooCategory.name().equals(node.name())) {
                    changes.put("name", node.name());
                    counts.renamed++;
                }
                if (!Objects.equals(odooCategory.parentId(), parent)) {
                    changes.put("parent_id", parent);
                    counts.moved++;
                }
                if (changes.isEmpty()) {
                    counts.unchanged++;
                } else {
                    write(odooCategory.id(), changes);
                    LOG.infof("Category %s%s: Odoo category %d '%s' (parent %s) now %s", tree.externalIdPrefix(), node.id(),
                            odooCategory.id(), odooCategory.name(), odooCategory.parentId(), changes);
                }
            }
            if (!missing.isEmpty()) {
                linkOrCreate(tree, missing, rootId, known, owned, odooIds, counts);
            }
        }
        exchange.setProperty(CategoryTree.WRITTEN,
                new CategoryTree.Written(counts.created, counts.linked, counts.renamed, counts.moved, counts.unchanged));
    }

    private static final class Counts {
        int created;
        int linked;
        int renamed;
        int moved;
        int unchanged;
    }

    /** Nodes of one level without a (living) category: adopted by name under the parent, or created a page per call. */
    private void linkOrCreate(CategoryTree tree, List<CategoryTree.Node> missing, long rootId, Map<String, ExternalId> known,
            Set<Long> owned, Map<String, Long> odooIds, Counts counts) {
        Set<Long> parents = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        for (CategoryTree.Node node : missing) {
            parents.add(parentId(node, rootId, odooIds));
            names.add(node.name());
        }
        Map<String, Deque<Long>> adoptable = new HashMap<>();
        for (Category category : childrenNamed(parents, names)) {
            if (!owned.contains(category.id())) {
                adoptable.computeIfAbsent(category.parentId() + "/" + category.name(), k -> new ArrayDeque<>()).add(category.id());
            }
        }
        List<CategoryTree.Node> toCreate = new ArrayList<>();
        List<Map<String, Object>> values = new ArrayList<>();
        Map<CategoryTree.Node, Long> bound = new LinkedHashMap<>();
        for (CategoryTree.Node node : missing) {
            long parent = parentId(node, rootId, odooIds);
            Deque<Long> candidates = adoptable.get(parent + "/" + node.name());
            Long adopted = candidates == null ? null : candidates.poll();
            if (adopted != null) {
                bound.put(node, adopted);
                counts.linked++;
            } else {
                toCreate.add(node);
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("name", node.name());
                record.put("parent_id", parent);
                values.add(record);
            }
        }
        List<Long> created = create(values);
        for (int i = 0; i < toCreate.size(); i++) {
            bound.put(toCreate.get(i), created.get(i));
            counts.created++;
        }
        Map<String, Long> newExternalIds = new LinkedHashMap<>();
        bound.forEach((node, id) -> {
            odooIds.put(node.id(), id);
            owned.add(id);
            String name = externalIdName(tree, node.id());
            ExternalId dangling = known.get(name);
            if (dangling != null) {
                repoint(dangling, id); // its category was deleted in Odoo
            } else {
                newExternalIds.put(name, id);
            }
        });
        createExternalIds(newExternalIds);
    }

    private static long parentId(CategoryTree.Node node, long rootId, Map<String, Long> odooIds) {
        return node.parentId() == null ? rootId : odooIds.get(node.parentId());
    }

    private static String externalIdName(CategoryTree tree, String nodeId) {
        return OdooCatalog.externalIdName(tree.externalIdPrefix(), nodeId);
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

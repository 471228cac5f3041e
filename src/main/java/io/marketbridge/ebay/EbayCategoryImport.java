package io.marketbridge.ebay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.admin.StatusSection;
import io.marketbridge.config.MarketbridgeConfig;
import io.marketbridge.config.MarketbridgeConfig.Ebay.Categories.CategoryScope;
import io.marketbridge.ebay.EbayCategoryTree.Category;
import io.marketbridge.odoo.OdooCatalog;
import io.marketbridge.odoo.OdooCategories;
import io.marketbridge.odoo.OdooCategories.ExternalId;
import io.marketbridge.pipeline.Cursors;
import io.marketbridge.pipeline.Digests;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.RejectedInput;
import io.marketbridge.pipeline.SyncFailure;
import io.marketbridge.pipeline.TransientFailure;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.Header;
import org.jboss.logging.Logger;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * eBay's category tree (Taxonomy API) → Odoo's product.category hierarchy under the configured
 * root, at full depth. Each category carries the external id {@code marketbridge.ebay_category_<id>},
 * so a category eBay renames or moves is renamed or moved in Odoo, not duplicated; a category Odoo
 * already has under the same parent with the same name (one a listing import created) is adopted.
 * Missing categories are created a level at a time, a page per call; an unchanged tree costs no write.
 * The whole tree is downloaded only when its version, or the set of categories to import, changed.
 */
@Singleton
@Named("ebayCategoryImport")
public class EbayCategoryImport implements StatusSection {

    private static final Logger LOG = Logger.getLogger(EbayCategoryImport.class);
    static final String FLOW = "ebay-categories";
    static final String EXTERNAL_ID_PREFIX = "ebay_category_";
    private static final String TAXONOMY = "/commerce/taxonomy/v1";

    private final EbayApi ebay;
    private final EbayListings listings;
    private final OdooCatalog catalog;
    private final OdooCategories categories;
    private final Cursors cursors;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final MarketbridgeConfig config;
    private final List<String> root;
    /** One import at a time: the daily run and an operator's request must not interleave their creates. */
    private final ReentrantLock running = new ReentrantLock();
    private volatile Result lastRun;
    private volatile Result lastImport;

    EbayCategoryImport(EbayApi ebay, EbayListings listings, OdooCatalog catalog, OdooCategories categories, Cursors cursors,
            ObjectMapper json, MeterRegistry metrics, MarketbridgeConfig config) {
        this.ebay = ebay;
        this.listings = listings;
        this.catalog = catalog;
        this.categories = categories;
        this.cursors = cursors;
        this.json = json;
        this.metrics = metrics;
        this.config = config;
        this.root = EbayListingMapper.rootPath(config.ebay().categories().root());
    }

    /**
     * What one run did. {@code outcome} is {@code imported} or {@code skipped} (with the reason);
     * {@code listingCategoriesNotInTree} counts listing categories eBay's tree no longer has.
     */
    @RegisterForReflection
    public record Result(String outcome, String reason, String scope, String categoryTreeId, String categoryTreeVersion,
            int categories, int created, int linked, int renamed, int moved, int unchanged, int listingCategoriesNotInTree,
            Instant startedAt, long durationMillis) {

        static Result skipped(String reason, CategoryScope scope, String treeId, String version, Instant startedAt) {
            return new Result("skipped", reason, scope(scope), treeId, version, 0, 0, 0, 0, 0, 0, 0, startedAt,
                    Duration.between(startedAt, Instant.now()).toMillis());
        }

        private static String scope(CategoryScope scope) {
            return scope.name().toLowerCase(Locale.ROOT);
        }
    }

    /** The daily run (route {@code ebay-categories-import}): the configured scope, skipped when nothing changed. */
    public Result scheduledImport() throws SQLException {
        CategoryScope scope = config.ebay().categories().scope();
        if (!config.ebay().enabled() || !config.odoo().enabled()) {
            return remember(Result.skipped("eBay or Odoo is switched off", scope, null, null, Instant.now()));
        }
        if (!running.tryLock()) {
            LOG.info("eBay category import already running: this scheduled run is skipped");
            return null;
        }
        try {
            return run(scope, false);
        } finally {
            running.unlock();
        }
    }

    /**
     * {@code POST /admin/sync/ebay-categories}: {@code wholeTree=true} imports every category,
     * {@code false} only the listings' branches, absent the configured scope; {@code force=true}
     * imports even when the tree version was already imported.
     */
    public Result importOnDemand(@Header("wholeTree") String wholeTree, @Header("force") String force) throws SQLException {
        Boolean whole = flag("wholeTree", wholeTree);
        boolean forced = Boolean.TRUE.equals(flag("force", force));
        CategoryScope scope = whole == null ? config.ebay().categories().scope() : whole ? CategoryScope.ALL : CategoryScope.LISTINGS;
        if (!config.ebay().enabled() || !config.odoo().enabled()) {
            throw new RejectedInput(409, "eBay category import needs both eBay and Odoo switched on");
        }
        if (!running.tryLock()) {
            throw new RejectedInput(409, "an eBay category import is already running");
        }
        try {
            return run(scope, forced);
        } catch (SyncFailure e) {
            throw new RejectedInput(e instanceof TransientFailure ? 503 : 502, "eBay category import failed: " + e.getMessage());
        } finally {
            running.unlock();
        }
    }

    @Override
    public String section() {
        return "ebayCategories";
    }

    @Override
    public int order() {
        return 13;
    }

    /** For the admin status report: the last run (perhaps skipped) and the last one that imported. */
    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("lastRun", lastRun);
        status.put("lastImport", lastImport);
        return status;
    }

    private Result run(CategoryScope scope, boolean forced) throws SQLException {
        Instant started = Instant.now();
        String marketplace = config.ebay().categories().marketplace();
        JsonNode current = ebay.getAsApplication(TAXONOMY + "/get_default_category_tree_id?marketplace_id="
                + URLEncoder.encode(marketplace, StandardCharsets.UTF_8));
        String treeId = current.path("categoryTreeId").asText(null);
        String version = current.path("categoryTreeVersion").asText(null);
        if (treeId == null || version == null) {
            throw new PermanentFailure(EbayTokens.PEER, "get_default_category_tree_id for " + marketplace
                    + " answered without categoryTreeId or categoryTreeVersion: " + current);
        }
        Set<String> listed = scope == CategoryScope.LISTINGS ? listings.categoryIds() : Set.of();
        ImportedTree wanted = new ImportedTree(treeId, version, scope == CategoryScope.ALL ? "all" : "listings:" + digest(listed));
        Optional<ImportedTree> last = cursors.get(FLOW).flatMap(ImportedTree::parse);
        if (!forced && last.filter(l -> l.covers(wanted)).isPresent()) {
            LOG.debugf("eBay category tree %s version %s already imported (%s): skipped", treeId, version, last.get().coverage());
            return remember(Result.skipped("category tree " + treeId + " version " + version + " already imported",
                    scope, treeId, version, started));
        }
        if (scope == CategoryScope.LISTINGS && listed.isEmpty()) {
            return remember(Result.skipped("no imported listing has an eBay category yet", scope, treeId, version, started));
        }

        EbayCategoryTree tree = ebay.streamAsApplication(TAXONOMY + "/category_tree/" + URLEncoder.encode(treeId, StandardCharsets.UTF_8),
                body -> EbayCategoryTree.read(json.getFactory(), body, scope == CategoryScope.ALL ? id -> true : listed::contains));
        Counts counts = apply(tree.categories());
        Set<String> found = new HashSet<>();
        tree.categories().forEach(c -> found.add(c.id()));
        int notInTree = (int) listed.stream().filter(id -> !found.contains(id)).count();
        // the version just read, in case eBay published a new one between the two calls
        cursors.set(FLOW, new ImportedTree(treeId, tree.version(), wanted.coverage()).toString());

        Result result = new Result("imported", null, Result.scope(scope), treeId, tree.version(), tree.categories().size(),
                counts.created, counts.linked, counts.renamed, counts.moved, counts.unchanged, notInTree, started,
                Duration.between(started, Instant.now()).toMillis());
        lastImport = result;
        LOG.infof("eBay categories (tree %s version %s, %s): %d in scope, %d created, %d linked, %d renamed, %d moved, %d unchanged%s in %d ms",
                treeId, tree.version(), result.scope(), result.categories(), counts.created, counts.linked, counts.renamed, counts.moved,
                counts.unchanged, notInTree == 0 ? "" : ", " + notInTree + " listing categories not in eBay's tree", result.durationMillis());
        return remember(result);
    }

    private static final class Counts {
        int created;
        int linked;
        int renamed;
        int moved;
        int unchanged;
    }

    /** Writes the tree into Odoo, parents first, a level at a time. */
    private Counts apply(List<Category> tree) {
        Counts counts = new Counts();
        long rootId = catalog.category(root);
        Map<String, ExternalId> known = categories.externalIds(tree.stream().map(c -> externalIdName(c.id())).toList());
        Map<Long, OdooCategories.Category> existing = categories.byIds(known.values().stream().map(ExternalId::resId).toList());
        // Odoo categories some eBay category already owns are never adopted by another one
        Set<Long> owned = new HashSet<>(existing.keySet());
        Map<Category, Long> odooIds = new HashMap<>();

        Map<Integer, List<Category>> levels = new LinkedHashMap<>();
        tree.forEach(c -> levels.computeIfAbsent(c.level(), l -> new ArrayList<>()).add(c));
        for (List<Category> level : levels.values()) {
            List<Category> missing = new ArrayList<>();
            for (Category category : level) {
                long parent = parentId(category, rootId, odooIds);
                ExternalId externalId = known.get(externalIdName(category.id()));
                OdooCategories.Category odoo = externalId == null ? null : existing.get(externalId.resId());
                if (odoo == null) {
                    missing.add(category);
                    continue;
                }
                odooIds.put(category, odoo.id());
                Map<String, Object> changes = new LinkedHashMap<>();
                if (!odoo.name().equals(category.name())) {
                    changes.put("name", category.name());
                    counts.renamed++;
                }
                if (!Objects.equals(odoo.parentId(), parent)) {
                    changes.put("parent_id", parent);
                    counts.moved++;
                }
                if (changes.isEmpty()) {
                    counts.unchanged++;
                } else {
                    categories.write(odoo.id(), changes);
                    LOG.infof("eBay category %s: Odoo category %d '%s' (parent %s) now %s", category.id(), odoo.id(), odoo.name(),
                            odoo.parentId(), changes);
                }
            }
            if (!missing.isEmpty()) {
                linkOrCreate(missing, rootId, known, owned, odooIds, counts);
            }
        }
        metrics.counter("marketbridge.ebay.categories", "action", "created").increment(counts.created);
        metrics.counter("marketbridge.ebay.categories", "action", "linked").increment(counts.linked);
        metrics.counter("marketbridge.ebay.categories", "action", "renamed").increment(counts.renamed);
        metrics.counter("marketbridge.ebay.categories", "action", "moved").increment(counts.moved);
        return counts;
    }

    /**
     * Categories of one level without a (living) external id: adopted when Odoo has one of that
     * name under the parent, created in one call per page otherwise; then their external ids.
     */
    private void linkOrCreate(List<Category> missing, long rootId, Map<String, ExternalId> known, Set<Long> owned,
            Map<Category, Long> odooIds, Counts counts) {
        Set<Long> parents = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        for (Category category : missing) {
            parents.add(parentId(category, rootId, odooIds));
            names.add(category.name());
        }
        Map<String, Deque<Long>> adoptable = new HashMap<>();
        for (OdooCategories.Category odoo : categories.childrenNamed(parents, names)) {
            if (!owned.contains(odoo.id())) {
                adoptable.computeIfAbsent(odoo.parentId() + "/" + odoo.name(), k -> new ArrayDeque<>()).add(odoo.id());
            }
        }
        List<Category> toCreate = new ArrayList<>();
        List<Map<String, Object>> values = new ArrayList<>();
        Map<Category, Long> bound = new LinkedHashMap<>();
        for (Category category : missing) {
            long parent = parentId(category, rootId, odooIds);
            Deque<Long> candidates = adoptable.get(parent + "/" + category.name());
            Long adopted = candidates == null ? null : candidates.poll();
            if (adopted != null) {
                bound.put(category, adopted);
                counts.linked++;
            } else {
                toCreate.add(category);
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("name", category.name());
                record.put("parent_id", parent);
                values.add(record);
            }
        }
        List<Long> created = categories.create(values);
        for (int i = 0; i < toCreate.size(); i++) {
            bound.put(toCreate.get(i), created.get(i));
            counts.created++;
        }
        Map<String, Long> newExternalIds = new LinkedHashMap<>();
        bound.forEach((category, id) -> {
            odooIds.put(category, id);
            owned.add(id);
            String name = externalIdName(category.id());
            ExternalId dangling = known.get(name);
            if (dangling != null) {
                categories.repoint(dangling, id); // its category was deleted in Odoo
            } else {
                newExternalIds.put(name, id);
            }
        });
        categories.createExternalIds(newExternalIds);
    }

    private static long parentId(Category category, long rootId, Map<Category, Long> odooIds) {
        return category.parent() == null ? rootId : odooIds.get(category.parent());
    }

    static String externalIdName(String categoryId) {
        return OdooCatalog.externalIdName(EXTERNAL_ID_PREFIX, categoryId);
    }

    private Result remember(Result result) {
        lastRun = result;
        return result;
    }

    private static Boolean flag(String name, String value) {
        if (value == null) {
            return null;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new RejectedInput(400, name + " must be true or false, got '" + value + "'");
        };
    }

    /** A short, stable fingerprint of a set of category ids (the cursor holds 255 characters). */
    private static String digest(Set<String> ids) {
        return Digests.sha256Hex(String.join(",", new TreeSet<>(ids))).substring(0, 16);
    }

    /**
     * What the last successful import covered, kept as the cursor {@code <treeId>|<version>|<coverage>}:
     * coverage {@code all}, or {@code listings:<fingerprint of the listings' category ids>}.
     */
    record ImportedTree(String treeId, String version, String coverage) {

        static Optional<ImportedTree> parse(String cursor) {
            String[] parts = cursor.split("\\|", 3);
            return parts.length == 3 ? Optional.of(new ImportedTree(parts[0], parts[1], parts[2])) : Optional.empty();
        }

        /** The same tree version, and the whole tree or the same listing branches. */
        boolean covers(ImportedTree wanted) {
            return treeId.equals(wanted.treeId) && version.equals(wanted.version)
                    && (coverage.equals("all") || coverage.equals(wanted.coverage));
        }

        @Override
        public String toString() {
            return treeId + "|" + version + "|" + coverage;
        }
    }
}

package io.marketbridge.ebay.categories;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.admin.StatusSection;
import io.marketbridge.ebay.EbayConfig;
import io.marketbridge.ebay.EbayConfig.Categories.CategoryScope;
import io.marketbridge.ebay.account.EbayTokens;
import io.marketbridge.ebay.api.EbayApi;
import io.marketbridge.ebay.listings.EbayListingMapper;
import io.marketbridge.ebay.listings.EbayListings;
import io.marketbridge.model.CategoryTree;
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
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.support.SynchronizationAdapter;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

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
    private final Cursors cursors;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final EbayConfig config;
    /** Read as a setting, not through Odoo's package: eBay's side only needs to know Odoo is on. */
    private final boolean odooEnabled;
    private final List<String> root;
    /** One import at a time: the daily run and an operator's request must not interleave their creates. */
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile Result lastRun;
    private volatile Result lastImport;

    EbayCategoryImport(EbayApi ebay, EbayListings listings, Cursors cursors, ObjectMapper json, MeterRegistry metrics,
            EbayConfig config, Config settings) {
        this.ebay = ebay;
        this.listings = listings;
        this.cursors = cursors;
        this.json = json;
        this.metrics = metrics;
        this.config = config;
        this.odooEnabled = settings.getOptionalValue("marketbridge.odoo.enabled", Boolean.class).orElse(true);
        this.root = EbayListingMapper.rootPath(config.categories().root());
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

    /** The exchange property carrying what the run read, for {@link #recordImport}. */
    static final String RUN = "ebayCategoryRun";

    /** What a run read from eBay, kept for recording it once Odoo has the tree. */
    record Run(CategoryScope scope, String treeId, String version, String coverage, Set<String> listed, Set<String> found,
            Instant startedAt) {
    }

    /**
     * The daily run's source step (route {@code ebay-categories-import}): eBay's tree in the configured
     * scope, or null when there is nothing to import (switched off, unchanged, already running).
     */
    public CategoryTree planScheduled(Exchange exchange) throws SQLException {
        CategoryScope scope = config.categories().scope();
        if (!config.enabled() || !odooEnabled) {
            remember(Result.skipped("eBay or Odoo is switched off", scope, null, null, Instant.now()));
            return null;
        }
        if (!claim(exchange)) {
            LOG.info("eBay category import already running: this scheduled run is skipped");
            return null;
        }
        return plan(scope, false, exchange);
    }

    /**
     * {@code POST /admin/sync/ebay-categories}: {@code wholeTree=true} imports every category,
     * {@code false} only the listings' branches, absent the configured scope; {@code force=true}
     * imports even when the tree version was already imported. Returns the tree to write, or the
     * skipped run's {@link Result}.
     */
    public Object planOnDemand(@Header("wholeTree") String wholeTree, @Header("force") String force, Exchange exchange)
            throws SQLException {
        Boolean whole = flag("wholeTree", wholeTree);
        boolean forced = Boolean.TRUE.equals(flag("force", force));
        CategoryScope scope = whole == null ? config.categories().scope() : whole ? CategoryScope.ALL : CategoryScope.LISTINGS;
        if (!config.enabled() || !odooEnabled) {
            throw new RejectedInput(409, "eBay category import needs both eBay and Odoo switched on");
        }
        if (!claim(exchange)) {
            throw new RejectedInput(409, "an eBay category import is already running");
        }
        try {
            CategoryTree tree = plan(scope, forced, exchange);
            return tree != null ? tree : lastRun;
        } catch (SyncFailure e) {
            throw failed(e);
        }
    }

    /** An on-demand import whose write to Odoo failed: answered with the reason, as a failure at eBay is. */
    public void failedOnDemand(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) SyncFailure failure, Exchange exchange) {
        RejectedInput answer = failed(failure);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, answer.getStatus());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(answer.getJson());
    }

    /** 503 when trying again later can help, 502 when the peer refused. */
    private static RejectedInput failed(SyncFailure failure) {
        return new RejectedInput(failure instanceof TransientFailure ? 503 : 502, "eBay category import failed: " + failure.getMessage());
    }

    /** Holds the import for this exchange; released when the exchange completes, whether it succeeded or not. */
    private boolean claim(Exchange exchange) {
        if (!running.compareAndSet(false, true)) {
            return false;
        }
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                running.set(false);
            }
        });
        return true;
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

    /** Reads eBay's tree when its version (or the set of listing categories) changed since the last import; null otherwise. */
    private CategoryTree plan(CategoryScope scope, boolean forced, Exchange exchange) throws SQLException {
        Instant started = Instant.now();
        String marketplace = config.categories().marketplace();
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
            remember(Result.skipped("category tree " + treeId + " version " + version + " already imported", scope, treeId, version, started));
            return null;
        }
        if (scope == CategoryScope.LISTINGS && listed.isEmpty()) {
            remember(Result.skipped("no imported listing has an eBay category yet", scope, treeId, version, started));
            return null;
        }

        EbayCategoryTree tree = ebay.streamAsApplication(TAXONOMY + "/category_tree/" + URLEncoder.encode(treeId, StandardCharsets.UTF_8),
                body -> EbayCategoryTree.read(json.getFactory(), body, scope == CategoryScope.ALL ? id -> true : listed::contains));
        List<CategoryTree.Node> nodes = new ArrayList<>();
        Set<String> found = new HashSet<>();
        for (EbayCategoryTree.Category category : tree.categories()) {
            nodes.add(new CategoryTree.Node(category.id(), category.name(), category.parent() == null ? null : category.parent().id(),
                    category.level()));
            found.add(category.id());
        }
        // the version just read, in case eBay published a new one between the two calls
        exchange.setProperty(RUN, new Run(scope, treeId, tree.version(), wanted.coverage(), listed, found, started));
        return new CategoryTree(root, EXTERNAL_ID_PREFIX, nodes);
    }

    /** The record step, once Odoo has the tree: the version imported (the cursor), the counts, the metrics. */
    public Result recordImport(CategoryTree tree, @ExchangeProperty(RUN) Run run,
            @ExchangeProperty(CategoryTree.WRITTEN) CategoryTree.Written written) throws SQLException {
        int notInTree = (int) run.listed().stream().filter(id -> !run.found().contains(id)).count();
        cursors.set(FLOW, new ImportedTree(run.treeId(), run.version(), run.coverage()).toString());
        metrics.counter("marketbridge.ebay.categories", "action", "created").increment(written.created());
        metrics.counter("marketbridge.ebay.categories", "action", "linked").increment(written.linked());
        metrics.counter("marketbridge.ebay.categories", "action", "renamed").increment(written.renamed());
        metrics.counter("marketbridge.ebay.categories", "action", "moved").increment(written.moved());

        Result result = new Result("imported", null, Result.scope(run.scope()), run.treeId(), run.version(), tree.nodes().size(),
                written.created(), written.linked(), written.renamed(), written.moved(), written.unchanged(), notInTree, run.startedAt(),
                Duration.between(run.startedAt(), Instant.now()).toMillis());
        lastImport = result;
        LOG.infof("eBay categories (tree %s version %s, %s): %d in scope, %d created, %d linked, %d renamed, %d moved, %d unchanged%s in %d ms",
                run.treeId(), run.version(), result.scope(), result.categories(), written.created(), written.linked(), written.renamed(),
                written.moved(), written.unchanged(), notInTree == 0 ? "" : ", " + notInTree + " listing categories not in eBay's tree",
                result.durationMillis());
        return remember(result);
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

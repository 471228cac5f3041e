package io.marketbridge.ebay.categories;

import io.marketbridge.ebay.contract.EbayContractChecked;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.marketbridge.testsupport.Sandbox.admin;
import static io.marketbridge.testsupport.Sandbox.adminPost;
import static io.marketbridge.testsupport.Sandbox.clearEbayFaults;
import static io.marketbridge.testsupport.Sandbox.clearOdooFaults;
import static io.marketbridge.testsupport.Sandbox.deliver;
import static io.marketbridge.testsupport.Sandbox.ebayFault;
import static io.marketbridge.testsupport.Sandbox.list;
import static io.marketbridge.testsupport.Sandbox.newSku;
import static io.marketbridge.testsupport.Sandbox.odoo;
import static io.marketbridge.testsupport.Sandbox.odooFault;
import static io.marketbridge.testsupport.Sandbox.odooWrites;
import static io.marketbridge.testsupport.Sandbox.productsBySku;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * eBay's category tree becomes Odoo's category tree under "All / eBay", through the running
 * service: the simulated Taxonomy API serves the tree, the admin API runs the import, the
 * simulated Odoo holds the result and counts the calls. The tests build on each other in order:
 * the listings' branches first, then the whole tree, then an unchanged version, then a new one.
 */
@QuarkusTest
@TestProfile(EbayCategoriesTest.NoScheduledRun.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EbayCategoriesTest implements EbayContractChecked {

    /** The daily run never fires during the tests: each import is asked for. */
    public static class NoScheduledRun implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("marketbridge.ebay.categories.schedule", "0 0 3 1 1 ? 2099");
        }
    }

    /** The simulated seller's default categories: listings of other test classes may be in them. */
    private static final Set<String> SELLER_DEFAULT_CATEGORIES = Set.of("31388", "15032", "80053", "11450");

    /** A category of the simulated tree. */
    record Node(String id, String name, String parentId, int level) {
    }

    /** Two listings' categories, from the order-2 test on. */
    private static final List<Node> listed = new ArrayList<>();
    private static String listedSku;

    // --- the simulated eBay ------------------------------------------------------------------------

    private static JsonPath taxonomyStats() {
        return given().get("/sandbox/ebay/_taxonomy/stats").then().statusCode(200).extract().jsonPath();
    }

    private static int taxonomyCalls(String call) {
        Integer n = taxonomyStats().get("calls." + call);
        return n == null ? 0 : n;
    }

    private static int treeDownloads() {
        return taxonomyCalls("category_tree") + taxonomyCalls("category_tree_gzip");
    }

    /** A token from the simulated eBay: the application's, or the seller's from its refresh token. */
    private static String token(boolean application) {
        var request = given().auth().preemptive().basic("Marketbridge-Sandbox-APP", "SBX-marketbridge-cert").contentType(ContentType.URLENC);
        request = application ? request.formParam("grant_type", "client_credentials").formParam("scope", "https://api.ebay.com/oauth/api_scope")
                : request.formParam("grant_type", "refresh_token").formParam("refresh_token", "sandbox-refresh-token");
        return request.post("/sandbox/ebay/identity/v1/oauth2/token").then().statusCode(200).extract().path("access_token");
    }

    /** The simulated tree as eBay serves it, read with an application token as any client would. */
    private static Map<String, Node> simulatedTree() {
        Map<String, Object> root = given().header("Authorization", "Bearer " + token(true))
                .get("/sandbox/ebay/commerce/taxonomy/v1/category_tree/0").then().statusCode(200).extract().path("rootCategoryNode");
        Map<String, Node> nodes = new HashMap<>();
        flatten(root, null, nodes);
        return nodes;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(Map<String, Object> node, String parentId, Map<String, Node> nodes) {
        Map<String, Object> category = (Map<String, Object>) node.get("category");
        int level = ((Number) node.get("categoryTreeNodeLevel")).intValue();
        String id = (String) category.get("categoryId");
        if (level > 0) {
            nodes.put(id, new Node(id, (String) category.get("categoryName"), parentId, level));
        }
        for (Object child : (List<Object>) node.getOrDefault("childCategoryTreeNodes", List.of())) {
            flatten((Map<String, Object>) child, level == 0 ? null : id, nodes);
        }
    }

    private static List<Node> path(Map<String, Node> tree, Node leaf) {
        List<Node> path = new ArrayList<>();
        for (Node n = leaf; n != null; n = n.parentId() == null ? null : tree.get(n.parentId())) {
            path.add(0, n);
        }
        return path;
    }

    // --- the simulated Odoo --------------------------------------------------------------------------

    /** eBay category id → Odoo category id, from the external ids marketbridge.ebay_category_<id>. */
    private static Map<String, Long> externalIds() {
        return odoo("ir.model.data", List.of(List.of("module", "=", "marketbridge"), List.of("model", "=", "product.category")),
                List.of("name", "res_id")).stream()
                .filter(row -> String.valueOf(row.get("name")).startsWith("ebay_category_"))
                .collect(Collectors.toMap(row -> String.valueOf(row.get("name")).substring("ebay_category_".length()),
                        row -> ((Number) row.get("res_id")).longValue()));
    }

    /** Odoo category id → [name, parent id or null]. */
    private static Map<Long, Object[]> odooCategories() {
        Map<Long, Object[]> categories = new HashMap<>();
        for (Map<String, Object> row : odoo("product.category", List.of(), List.of("name", "parent_id"))) {
            Object parent = row.get("parent_id") instanceof List<?> p ? ((Number) p.get(0)).longValue() : null;
            categories.put(((Number) row.get("id")).longValue(), new Object[] {row.get("name"), parent});
        }
        return categories;
    }

    private static long ebayRoot() {
        long all = ((Number) odoo("product.category", List.of(List.of("name", "=", "All"), List.of("parent_id", "=", false)),
                List.of("id")).get(0).get("id")).longValue();
        return ((Number) odoo("product.category", List.of(List.of("name", "=", "eBay"), List.of("parent_id", "=", all)),
                List.of("id")).get(0).get("id")).longValue();
    }

    private static long odooCalls(String modelMethod) {
        Integer n = given().get("/sandbox/odoo/_stats").then().extract().jsonPath().get("calls.'" + modelMethod + "'");
        return n == null ? 0 : n;
    }

    /** Every category in {@code nodes} is in Odoo with its eBay name, under its eBay parent's record. */
    private static void assertInOdoo(Iterable<Node> nodes, Map<String, Node> tree) {
        Map<String, Long> externalIds = externalIds();
        Map<Long, Object[]> odoo = odooCategories();
        long root = ebayRoot();
        for (Node node : nodes) {
            Long id = externalIds.get(node.id());
            assertNotNull(id, "external id of eBay category " + node.id());
            Object[] record = odoo.get(id);
            assertNotNull(record, "Odoo category of eBay category " + node.id());
            assertEquals(node.name(), record[0], "name of eBay category " + node.id());
            long parent = node.parentId() == null ? root : externalIds.get(tree.get(node.parentId()).id());
            assertEquals(parent, record[1], "parent of eBay category " + node.id() + " at level " + node.level());
        }
    }

    private static JsonPath sync(String query) {
        return adminPost("/sync/ebay-categories" + query).then().statusCode(200).extract().jsonPath();
    }

    // --- the tests -----------------------------------------------------------------------------------

    @Test
    @Order(1)
    void aBadFlagIsRefusedWithItsReason() {
        adminPost("/sync/ebay-categories?wholeTree=yes").then().statusCode(400)
                .body("error", containsString("wholeTree must be true or false, got 'yes'"));
        adminPost("/sync/ebay-categories?wholeTree=true&force=sometimes").then().statusCode(400)
                .body("error", containsString("force must be true or false"));
        assertEquals(0, treeDownloads(), "nothing was downloaded");
    }

    @Test
    @Order(2)
    void byDefaultOnlyTheBranchesOfTheSellersListingsAreImported() {
        Map<String, Node> tree = simulatedTree();
        // two deep categories in two different top-level branches the simulated seller does not use by default
        Set<String> sellerBranches = SELLER_DEFAULT_CATEGORIES.stream().filter(tree::containsKey)
                .map(id -> path(tree, tree.get(id)).get(0).id()).collect(Collectors.toSet());
        for (Node node : tree.values().stream().filter(n -> n.level() >= 4).sorted((a, b) -> a.id().compareTo(b.id())).toList()) {
            String top = path(tree, node).get(0).id();
            if (!sellerBranches.contains(top) && listed.stream().noneMatch(l -> path(tree, l).get(0).id().equals(top))) {
                listed.add(node);
            }
            if (listed.size() == 2) {
                break;
            }
        }
        assertEquals(2, listed.size(), "the simulated tree has deep categories in several branches");
        for (Node category : listed) {
            String sku = newSku();
            listedSku = listedSku == null ? sku : listedSku;
            String categoryPath = path(tree, category).stream().map(Node::name).collect(Collectors.joining(":"));
            JsonPath item = list(Map.of("sku", sku, "title", "Item in " + category.name(), "price", "12.50", "quantity", 1,
                    "categoryId", category.id(), "categoryName", categoryPath));
            deliver(item.getString("notification")).then().statusCode(200);
            await().until(() -> productsBySku(sku).size() == 1);
        }

        int downloads = treeDownloads();

        JsonPath result = sync("");

        assertEquals("imported", result.getString("outcome"));
        assertEquals("listings", result.getString("scope"));
        assertEquals(downloads + 1, treeDownloads());
        Set<Node> branches = new HashSet<>();
        listed.forEach(l -> branches.addAll(path(tree, l)));
        assertInOdoo(branches, tree);
        // the listing import made these categories by name already: the tree import adopted them
        assertEquals(0, result.getInt("created"));
        assertTrue(result.getInt("linked") >= branches.size());
        Map<String, Object> product = productsBySku(listedSku).get(0);
        assertEquals(externalIds().get(listed.get(0).id()), ((Number) ((List<?>) product.get("categ_id")).get(0)).longValue(),
                "the listing's product is in the imported category");
        // nothing outside the listings' branches (other test classes' listings use the seller's defaults)
        Set<String> inScope = new HashSet<>();
        tree.values().stream().filter(n -> listed.contains(n) || SELLER_DEFAULT_CATEGORIES.contains(n.id()))
                .forEach(n -> path(tree, n).forEach(p -> inScope.add(p.id())));
        Set<String> imported = externalIds().keySet();
        assertTrue(inScope.containsAll(imported), "imported outside the listings' branches: "
                + imported.stream().filter(id -> !inScope.contains(id)).toList());
        assertTrue(imported.size() < tree.size() / 10, imported.size() + " of " + tree.size());
    }

    @Test
    @Order(3)
    void theWholeTreeIsImportedAtFullDepthUnderTheRoot() {
        Map<String, Node> tree = simulatedTree();
        JsonPath stats = taxonomyStats();
        assertTrue(stats.getInt("depth") >= 6, "a deep tree: " + stats.getInt("depth"));
        int gzipped = taxonomyCalls("category_tree_gzip");
        long categoryCreates = odooCalls("product.category.create");
        long externalIdCreates = odooCalls("ir.model.data.create");

        JsonPath result = sync("?wholeTree=true");

        assertEquals("imported", result.getString("outcome"));
        assertEquals("all", result.getString("scope"));
        assertEquals(tree.size(), result.getInt("categories"));
        assertEquals(tree.size(), result.getInt("created") + result.getInt("linked") + result.getInt("unchanged"));
        assertTrue(result.getInt("created") > tree.size() / 2);
        assertEquals(gzipped + 1, taxonomyCalls("category_tree_gzip"), "the tree is downloaded gzip-compressed");
        assertInOdoo(tree.values(), tree);
        Map<String, Long> externalIds = externalIds();
        assertEquals(tree.size(), new HashSet<>(externalIds.values()).size(), "one Odoo category per eBay category");
        // no duplicates: one Odoo category per parent and name
        Map<String, Long> byParentAndName = odooCategories().values().stream()
                .collect(Collectors.groupingBy(c -> c[1] + "/" + c[0], Collectors.counting()));
        assertEquals(List.of(), byParentAndName.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList());
        // created level by level, a page of records per call
        int levels = stats.getInt("depth");
        assertTrue(odooCalls("product.category.create") - categoryCreates <= 2L * levels,
                "product.category.create calls: " + (odooCalls("product.category.create") - categoryCreates));
        assertTrue(odooCalls("ir.model.data.create") - externalIdCreates <= 2L * levels + 6,
                "ir.model.data.create calls: " + (odooCalls("ir.model.data.create") - externalIdCreates));
        Node deepest = tree.values().stream().max((a, b) -> Integer.compare(a.level(), b.level())).orElseThrow();
        String completeName = (String) odoo("product.category", List.of(List.of("id", "=", externalIds.get(deepest.id()))),
                List.of("complete_name")).get(0).get("complete_name");
        assertEquals("All / eBay / " + path(tree, deepest).stream().map(Node::name).collect(Collectors.joining(" / ")), completeName);

        JsonPath status = admin("/status");
        assertEquals(result.getInt("created"), status.getInt("ebayCategories.lastImport.created"));
        assertEquals("Started", status.getList("flows", Map.class).stream()
                .filter(f -> "ebay-categories-import".equals(f.get("id"))).findFirst().orElseThrow().get("state"));
    }

    @Test
    @Order(4)
    void anUnchangedVersionIsNotDownloadedAgainAndCostsNoOdooWrite() {
        int downloads = treeDownloads();
        int versionChecks = taxonomyCalls("get_default_category_tree_id");
        long writes = odooWrites();

        JsonPath whole = sync("?wholeTree=true");
        JsonPath listings = sync("?wholeTree=false");

        assertEquals("skipped", whole.getString("outcome"));
        assertEquals("skipped", listings.getString("outcome"), "the whole tree covers the listings' branches");
        assertEquals(downloads, treeDownloads(), "no tree download");
        assertEquals(versionChecks + 2, taxonomyCalls("get_default_category_tree_id"));
        assertEquals(writes, odooWrites(), "no Odoo write");
        assertEquals("skipped", admin("/status").getString("ebayCategories.lastRun.outcome"));

        JsonPath forced = sync("?wholeTree=true&force=true");

        assertEquals("imported", forced.getString("outcome"));
        assertEquals(downloads + 1, treeDownloads());
        assertEquals(forced.getInt("categories"), forced.getInt("unchanged"));
        assertEquals(writes, odooWrites(), "a re-import of an unchanged tree writes nothing");
    }

    @Test
    @Order(5)
    void aCategoryRenamedInANewVersionIsRenamedInPlace() {
        Map<String, Node> before = simulatedTree();
        Node renamed = path(before, listed.get(0)).get(1); // a level-2 ancestor of a listing's category
        String newName = "Renamed " + renamed.name();
        long odooId = externalIds().get(renamed.id());
        long productCategory = externalIds().get(listed.get(0).id());
        given().contentType(ContentType.JSON).body(Map.of("rename", Map.of(renamed.id(), newName),
                "add", List.of(Map.of("parentId", renamed.id(), "categoryId", "999001", "name", "Brand-new Branch"))))
                .post("/sandbox/ebay/_taxonomy/publish").then().statusCode(200);
        Map<String, Node> after = simulatedTree();

        JsonPath result = sync("?wholeTree=true");

        assertEquals("imported", result.getString("outcome"));
        assertEquals(1, result.getInt("renamed"));
        assertEquals(1, result.getInt("created"));
        assertEquals(after.size() - 2, result.getInt("unchanged"));
        assertEquals(odooId, externalIds().get(renamed.id()), "the same Odoo category, renamed");
        assertInOdoo(after.values(), after);
        long parent = (Long) odooCategories().get(odooId)[1];
        assertFalse(odooCategories().values().stream().anyMatch(c -> renamed.name().equals(c[0]) && Long.valueOf(parent).equals(c[1])),
                "no category left with the old name");
        Map<String, Object> product = productsBySku(listedSku).get(0);
        List<?> category = (List<?>) product.get("categ_id");
        assertEquals(productCategory, ((Number) category.get(0)).longValue());
        assertTrue(String.valueOf(category.get(1)).contains(" / " + newName + " / "), String.valueOf(category.get(1)));
    }

    @Test
    @Order(6)
    void anEbayFailureIsAnsweredWithItsReason() {
        ebayFault(Map.of("path", "/commerce/taxonomy", "status", 503, "times", 1));
        try {
            adminPost("/sync/ebay-categories?wholeTree=true").then().statusCode(503)
                    .body("error", containsString("eBay category import failed"))
                    .body("error", containsString("get_default_category_tree_id"));
        } finally {
            clearEbayFaults();
        }
        assertEquals("skipped", sync("?wholeTree=true").getString("outcome"), "the next run finds the version imported");
    }

    @Test
    @Order(6)
    void anOdooFailureWhileWritingIsAnsweredWithItsReasonAndTheNextRunGoesAhead() {
        odooFault(Map.of("down", true));
        try {
            adminPost("/sync/ebay-categories?wholeTree=true&force=true").then().statusCode(503)
                    .body("error", containsString("eBay category import failed"));
        } finally {
            clearOdooFaults();
        }
        // the failed run let go of the import: the next one runs, not "already running"
        assertEquals("imported", sync("?wholeTree=true&force=true").getString("outcome"));
    }

    @Test
    @Order(7)
    void theSimulatedTaxonomyServesOneBranchAndOnlyToTheApplication() {
        Map<String, Node> tree = simulatedTree();
        Node top = path(tree, listed.get(0)).get(0);
        Map<String, Object> subtree = given().header("Authorization", "Bearer " + token(true)).header("Accept-Encoding", "gzip")
                .get("/sandbox/ebay/commerce/taxonomy/v1/category_tree/0/get_category_subtree?category_id=" + top.id())
                .then().statusCode(200).header("Content-Encoding", "gzip").extract().path("categorySubtreeNode");
        Map<String, Node> branch = new HashMap<>();
        flatten(Map.of("category", Map.of("categoryId", "0", "categoryName", "Root"), "categoryTreeNodeLevel", 0,
                "childCategoryTreeNodes", List.of(subtree)), null, branch);
        assertEquals(tree.values().stream().filter(n -> path(tree, n).get(0).equals(top)).count(), branch.size());
        assertTrue(branch.containsKey(listed.get(0).id()));

        given().header("Authorization", "Bearer " + token(false)).get("/sandbox/ebay/commerce/taxonomy/v1/category_tree/0")
                .then().statusCode(403).body("errors[0].errorId", equalTo(1100));
    }
}

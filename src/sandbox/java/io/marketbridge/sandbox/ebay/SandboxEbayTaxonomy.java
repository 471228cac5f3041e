package io.marketbridge.sandbox.ebay;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.sandbox.SandboxHttp;
import io.marketbridge.sandbox.SandboxSettings;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * The simulated eBay Taxonomy API ({@code /commerce/taxonomy/v1}, application token only): the
 * default category tree id and version of EBAY_US, the whole tree as eBay's recursive
 * {@code rootCategoryNode} (gzip-compressed when asked), and one branch with
 * {@code get_category_subtree}. The tree is generated, deterministic for a seed, and holds the
 * categories the simulated seller lists in. Controls under {@code /sandbox/ebay/_taxonomy}:
 * <pre>
 * POST /_taxonomy          {"size":3000,"maxDepth":7,"seed":1}   a new tree (a new version)
 * POST /_taxonomy/publish  {"rename":{"&lt;id&gt;":"New name"},"add":[{"parentId":"&lt;id&gt;","name":"..."}],"renames":2,"additions":5}
 *                          a new version: those renames and additions (named, or that many random ones)
 * GET  /_taxonomy/stats    tree id, version, size, depth and call counts
 * </pre>
 */
@Singleton
public class SandboxEbayTaxonomy {

    static final String TREE_ID = "0";
    static final String MARKETPLACE = "EBAY_US";
    private static final String BASE = "/sandbox/ebay/commerce/taxonomy/v1";
    private static final int DEFAULT_SIZE = 3000;
    private static final int DEFAULT_MAX_DEPTH = 7;
    private static final long DEFAULT_SEED = 130;
    private static final int MAX_SIZE = 200_000;
    /** eBay's top-level categories on EBAY_US. */
    private static final List<String> TOP_LEVEL = List.of("Antiques", "Art", "Baby", "Books & Magazines", "Business & Industrial",
            "Cameras & Photo", "Cell Phones & Accessories", "Clothing, Shoes & Accessories", "Coins & Paper Money", "Collectibles",
            "Computers/Tablets & Networking", "Consumer Electronics", "Crafts", "Dolls & Bears", "Movies & TV",
            "Entertainment Memorabilia", "Gift Cards & Coupons", "Health & Beauty", "Home & Garden", "Jewelry & Watches", "Music",
            "Musical Instruments & Gear", "Pet Supplies", "Pottery & Glass", "Real Estate", "Specialty Services", "Sporting Goods",
            "Sports Mem, Cards & Fan Shop", "Stamps", "Tickets & Experiences", "Toys & Hobbies", "Travel", "Video Games & Consoles",
            "Everything Else");
    private static final List<String> QUALITIES = List.of("Vintage", "Modern", "Professional", "Outdoor", "Digital", "Classic",
            "Wireless", "Handmade", "Portable", "Industrial", "Antique", "Compact", "Electric", "Mini", "Heavy-Duty", "Smart",
            "Organic", "Retro", "Travel", "Kids'");
    private static final List<String> KINDS = List.of("Accessories", "Parts", "Lenses", "Cables & Adapters", "Tools", "Storage",
            "Lighting", "Cases & Covers", "Kits", "Supplies", "Instruments", "Decor", "Furniture", "Figures", "Cards", "Equipment",
            "Batteries", "Filters", "Mounts", "Bags");

    /** One category; the root (level 0, id 0) is not a real category. */
    private static final class Node {
        final String id;
        String name;
        final Node parent;
        final int level;
        final List<Node> children = new ArrayList<>();

        Node(String id, String name, Node parent) {
            this.id = id;
            this.name = name;
            this.parent = parent;
            this.level = parent == null ? 0 : parent.level + 1;
        }

        Node child(String name) {
            return children.stream().filter(c -> c.name.equals(name)).findFirst().orElse(null);
        }
    }

    private final ObjectMapper json;
    private final SandboxEbayApi api;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    // the tree, guarded by this
    private final Map<String, Node> byId = new LinkedHashMap<>();
    private Node root;
    private int version;
    private int maxDepth;
    private long nextId;
    private Random random;
    private byte[] treeJson;
    private String hrefBase = BASE;

    SandboxEbayTaxonomy(ObjectMapper json, SandboxEbayApi api) {
        this.json = json;
        this.api = api;
        generate(DEFAULT_SIZE, DEFAULT_MAX_DEPTH, DEFAULT_SEED);
    }

    void mount(@Observes Router router, SandboxSettings sandbox) {
        if (!sandbox.enabled()) {
            return;
        }
        sandbox.url().ifPresent(url -> hrefBase = url.replaceAll("/$", "") + "/ebay/commerce/taxonomy/v1");
        router.get(BASE + "/get_default_category_tree_id").handler(ctx -> {
            if (application(ctx)) {
                defaultTreeId(ctx);
            }
        });
        router.get(BASE + "/category_tree/:treeId").blockingHandler(ctx -> {
            if (application(ctx) && knownTree(ctx)) {
                tree(ctx);
            }
        });
        router.get(BASE + "/category_tree/:treeId/get_category_subtree").blockingHandler(ctx -> {
            if (application(ctx) && knownTree(ctx)) {
                subtree(ctx);
            }
        });
        router.post("/sandbox/ebay/_taxonomy").handler(BodyHandler.create()).handler(ctx -> control(ctx, false));
        router.post("/sandbox/ebay/_taxonomy/publish").handler(BodyHandler.create()).handler(ctx -> control(ctx, true));
        router.get("/sandbox/ebay/_taxonomy/stats").handler(ctx -> send(ctx.response(), 200, stats()));
    }

    // --- the API ---------------------------------------------------------------------------------

    /** The Taxonomy API takes an application token (client credentials), not a seller's. */
    private boolean application(RoutingContext ctx) {
        if (!api.authorized(ctx)) {
            return false;
        }
        // the simulated eBay's tokens name their grant
        if (!ctx.request().getHeader("Authorization").contains("-client_credentials-")) {
            send(ctx.response(), 403, error(1100, "ACCESS", "Access denied",
                    "Insufficient permissions to fulfill the request: the Taxonomy API needs an application access token."));
            return false;
        }
        return true;
    }

    private boolean knownTree(RoutingContext ctx) {
        if (TREE_ID.equals(ctx.pathParam("treeId"))) {
            return true;
        }
        send(ctx.response(), 404, error(62004, "API_TAXONOMY", "The specified category tree ID was not found.", null));
        return false;
    }

    private void defaultTreeId(RoutingContext ctx) {
        String marketplace = ctx.request().getParam("marketplace_id");
        if (!MARKETPLACE.equals(marketplace)) {
            send(ctx.response(), 400, error(62001, "API_TAXONOMY", "The specified marketplace ID was not found.",
                    "This simulated eBay serves " + MARKETPLACE + " only; asked for " + marketplace + "."));
            return;
        }
        count("get_default_category_tree_id");
        synchronized (this) {
            send(ctx.response(), 200, Map.of("categoryTreeId", TREE_ID, "categoryTreeVersion", String.valueOf(version)));
        }
    }

    /** The whole tree, as one (large) JSON document, gzip-compressed when the client accepts it. */
    private void tree(RoutingContext ctx) {
        boolean gzip = acceptsGzip(ctx);
        count(gzip ? "category_tree_gzip" : "category_tree");
        byte[] body;
        synchronized (this) {
            if (treeJson == null) {
                treeJson = write(generator -> {
                    generator.writeStringField("categoryTreeId", TREE_ID);
                    generator.writeStringField("categoryTreeVersion", String.valueOf(version));
                    generator.writeArrayFieldStart("applicableMarketplaceIds");
                    generator.writeString(MARKETPLACE);
                    generator.writeEndArray();
                    generator.writeFieldName("rootCategoryNode");
                    writeNode(generator, root);
                });
            }
            body = treeJson;
        }
        reply(ctx, body, gzip);
    }

    private void subtree(RoutingContext ctx) {
        String categoryId = ctx.request().getParam("category_id");
        byte[] body;
        synchronized (this) {
            Node node = categoryId == null ? null : byId.get(categoryId);
            if (categoryId == null || categoryId.isBlank() || node == root) {
                send(ctx.response(), 400, error(62005, "API_TAXONOMY", "The specified category ID is invalid.",
                        "category_id is required and must not be the root of the tree."));
                return;
            }
            if (node == null) {
                send(ctx.response(), 404, error(62005, "API_TAXONOMY", "The specified category ID was not found.",
                        "No category " + categoryId + " in category tree " + TREE_ID + "."));
                return;
            }
            count("get_category_subtree");
            body = write(generator -> {
                generator.writeStringField("categoryTreeId", TREE_ID);
                generator.writeStringField("categoryTreeVersion", String.valueOf(version));
                generator.writeFieldName("categorySubtreeNode");
                writeNode(generator, node);
            });
        }
        reply(ctx, body, acceptsGzip(ctx));
    }

    private void writeNode(JsonGenerator generator, Node node) throws IOException {
        generator.writeStartObject();
        generator.writeObjectFieldStart("category");
        generator.writeStringField("categoryId", node.id);
        generator.writeStringField("categoryName", node.name);
        generator.writeEndObject();
        generator.writeNumberField("categoryTreeNodeLevel", node.level);
        if (node.parent != null) {
            generator.writeStringField("parentCategoryTreeNodeHref",
                    hrefBase + "/category_tree/" + TREE_ID + "/get_category_subtree?category_id=" + node.parent.id);
        }
        if (node.children.isEmpty()) {
            generator.writeBooleanField("leafCategoryTreeNode", true);
        } else {
            generator.writeArrayFieldStart("childCategoryTreeNodes");
            for (Node child : node.children) {
                writeNode(generator, child);
            }
            generator.writeEndArray();
        }
        generator.writeEndObject();
    }

    private interface Body {
        void write(JsonGenerator generator) throws IOException;
    }

    private byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try (JsonGenerator generator = json.getFactory().createGenerator(out)) {
            generator.writeStartObject();
            body.write(generator);
            generator.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the simulated category tree", e);
        }
        return out.toByteArray();
    }

    private static boolean acceptsGzip(RoutingContext ctx) {
        String accepted = ctx.request().getHeader("Accept-Encoding");
        return accepted != null && accepted.toLowerCase().contains("gzip");
    }

    private static void reply(RoutingContext ctx, byte[] body, boolean gzip) {
        HttpServerResponse response = ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json");
        if (gzip) {
            ByteArrayOutputStream compressed = new ByteArrayOutputStream(body.length / 8 + 64);
            try (OutputStream out = new GZIPOutputStream(compressed)) {
                out.write(body);
            } catch (IOException e) {
                throw new IllegalStateException("cannot gzip the answer", e);
            }
            response.putHeader("Content-Encoding", "gzip");
            body = compressed.toByteArray();
        }
        response.end(Buffer.buffer(body));
    }

    // --- the generated tree ----------------------------------------------------------------------

    /**
     * A new tree of {@code size} categories at most {@code maxDepth} levels deep: the seller's
     * categories at the ids its listings carry, eBay's top level, then random branches.
     */
    private synchronized void generate(int size, int depth, long seed) {
        byId.clear();
        root = new Node("0", "Root", null);
        byId.put(root.id, root);
        random = new Random(seed);
        nextId = 200_000;
        maxDepth = depth;
        version++;
        treeJson = null;
        seller:
        for (String[] category : SandboxEbaySeller.DEMO_CATEGORIES) {
            String[] path = category[1].split(":");
            Node parent = root;
            for (int i = 0; i < path.length && i < depth; i++) {
                Node child = parent.child(path[i]);
                if (child == null) {
                    if (categories() >= size) {
                        break seller;
                    }
                    child = add(parent, i == path.length - 1 ? category[0] : newId(), path[i]);
                }
                parent = child;
            }
        }
        for (String name : TOP_LEVEL) {
            if (categories() >= size) {
                break;
            }
            if (root.child(name) == null) {
                add(root, newId(), name);
            }
        }
        List<Node> open = new ArrayList<>(byId.values().stream().filter(n -> n != root && n.level < depth).toList());
        while (categories() < size && !open.isEmpty()) {
            Node child = add(open.get(random.nextInt(open.size())), newId(), null);
            if (child.level < depth) {
                open.add(child);
            }
        }
    }

    /** A new version: the named renames and additions, then that many random ones. */
    @SuppressWarnings("unchecked")
    private synchronized Map<String, Object> publish(Map<String, Object> request) {
        List<Map<String, Object>> renamed = new ArrayList<>();
        List<Map<String, Object>> added = new ArrayList<>();
        Map<String, Object> renames = request.get("rename") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        renames.forEach((id, name) -> {
            Node node = byId.get(id);
            if (node == null || node == root) {
                throw new IllegalArgumentException("no category " + id + " to rename");
            }
            renamed.add(rename(node, requireFreeName(node.parent, String.valueOf(name))));
        });
        for (Object o : request.get("add") instanceof List<?> l ? l : List.of()) {
            Map<String, Object> addition = (Map<String, Object>) o;
            Node parent = byId.get(String.valueOf(addition.getOrDefault("parentId", root.id)));
            if (parent == null) {
                throw new IllegalArgumentException("no parent category " + addition.get("parentId"));
            }
            String id = addition.get("categoryId") == null ? newId() : String.valueOf(addition.get("categoryId"));
            if (byId.containsKey(id)) {
                throw new IllegalArgumentException("category " + id + " exists already");
            }
            String name = addition.get("name") == null ? null : requireFreeName(parent, String.valueOf(addition.get("name")));
            added.add(describe(add(parent, id, name)));
        }
        List<Node> categories = byId.values().stream().filter(n -> n != root).toList();
        for (int i = 0; i < number(request, "renames", renames.isEmpty() && added.isEmpty() ? 2 : 0); i++) {
            Node node = categories.get(random.nextInt(categories.size()));
            renamed.add(rename(node, freeName(node.parent)));
        }
        for (int i = 0; i < number(request, "additions", renames.isEmpty() && added.isEmpty() ? 5 : 0); i++) {
            List<Node> open = categories.stream().filter(n -> n.level < maxDepth).toList();
            added.add(describe(add(open.get(random.nextInt(open.size())), newId(), null)));
        }
        version++;
        treeJson = null;
        Map<String, Object> answer = new LinkedHashMap<>(stats());
        answer.put("renamed", renamed);
        answer.put("added", added);
        return answer;
    }

    private Node add(Node parent, String id, String name) {
        Node node = new Node(id, name == null ? freeName(parent) : name, parent);
        parent.children.add(node);
        byId.put(id, node);
        return node;
    }

    private Map<String, Object> rename(Node node, String name) {
        Map<String, Object> change = Map.of("categoryId", node.id, "from", node.name, "to", name);
        node.name = name;
        return change;
    }

    /** Sibling categories never share a name on eBay. */
    private String freeName(Node parent) {
        for (int attempt = 0; attempt < 20; attempt++) {
            String name = QUALITIES.get(random.nextInt(QUALITIES.size())) + " " + KINDS.get(random.nextInt(KINDS.size()));
            if (parent.child(name) == null) {
                return name;
            }
        }
        return KINDS.get(random.nextInt(KINDS.size())) + " " + (parent.children.size() + 1);
    }

    private static String requireFreeName(Node parent, String name) {
        if (name.isBlank() || parent.child(name) != null) {
            throw new IllegalArgumentException("'" + name + "' is blank or already a category under " + parent.id);
        }
        return name;
    }

    private static Map<String, Object> describe(Node node) {
        return Map.of("categoryId", node.id, "parentId", node.parent.id, "name", node.name, "level", node.level);
    }

    private String newId() {
        return String.valueOf(++nextId);
    }

    private int categories() {
        return byId.size() - 1;
    }

    // --- controls and stats -------------------------------------------------------------------------

    private void control(RoutingContext ctx, boolean publish) {
        try {
            Map<String, Object> request = SandboxHttp.readObject(json, ctx);
            if (publish) {
                send(ctx.response(), 200, publish(request));
                return;
            }
            int size = number(request, "size", DEFAULT_SIZE);
            int depth = number(request, "maxDepth", DEFAULT_MAX_DEPTH);
            if (size < 1 || size > MAX_SIZE || depth < 1 || depth > 10) {
                throw new IllegalArgumentException("size must be 1.." + MAX_SIZE + " and maxDepth 1..10");
            }
            generate(size, depth, request.get("seed") instanceof Number n ? n.longValue() : DEFAULT_SEED);
            send(ctx.response(), 200, stats());
        } catch (IllegalArgumentException | ClassCastException e) {
            send(ctx.response(), 400, Map.of("error", e.getMessage()));
        }
    }

    private synchronized Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("categoryTreeId", TREE_ID);
        stats.put("categoryTreeVersion", String.valueOf(version));
        stats.put("categories", categories());
        stats.put("depth", byId.values().stream().mapToInt(n -> n.level).max().orElse(0));
        Map<String, Integer> counts = new TreeMap<>();
        calls.forEach((call, n) -> counts.put(call, n.get()));
        stats.put("calls", counts);
        return stats;
    }

    private void count(String call) {
        calls.computeIfAbsent(call, c -> new AtomicInteger()).incrementAndGet();
    }

    private static int number(Map<String, Object> request, String name, int fallback) {
        Object value = request.get(name);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n) {
            return n.intValue();
        }
        throw new IllegalArgumentException(name + " must be a number");
    }

    private static Map<String, Object> error(int errorId, String domain, String message, String longMessage) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("errorId", errorId);
        error.put("domain", domain);
        error.put("category", "REQUEST");
        error.put("message", message);
        if (longMessage != null) {
            error.put("longMessage", longMessage);
        }
        return Map.of("errors", List.of(error));
    }

    private void send(HttpServerResponse response, int status, Object body) {
        SandboxHttp.reply(json, response, status, body);
    }
}

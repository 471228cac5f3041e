package io.marketbridge.ebay.categories;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.marketbridge.ebay.account.EbayTokens;
import io.marketbridge.pipeline.PermanentFailure;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A Taxonomy API category tree ({@code getCategoryTree}) read as a stream: the answer for a whole
 * marketplace is tens of megabytes, so it is never held as a JSON tree. Only the categories asked
 * for are kept, each with a link to its parent, so a branch can be walked back to the root.
 */
public final class EbayCategoryTree {

    /** Deeper than any real eBay tree (about 7 levels): an answer nesting further is not a category tree. */
    private static final int MAX_DEPTH = 64;

    /** One eBay category; {@code parent} is null for a top-level category (the root, level 0, is not a category). */
    public static final class Category {
        private String id;
        private String name;
        private final Category parent;
        private final int level;

        Category(Category parent, int level) {
            this.parent = parent;
            this.level = level;
        }

        public String id() {
            return id;
        }

        public String name() {
            return name;
        }

        public Category parent() {
            return parent;
        }

        public int level() {
            return level;
        }
    }

    private final String treeId;
    private final String version;
    private final List<Category> categories;

    private EbayCategoryTree(String treeId, String version, List<Category> categories) {
        this.treeId = treeId;
        this.version = version;
        this.categories = categories;
    }

    public String treeId() {
        return treeId;
    }

    public String version() {
        return version;
    }

    /** The categories kept, parents before children (ordered by level). */
    public List<Category> categories() {
        return categories;
    }

    /**
     * Reads a {@code getCategoryTree} answer, keeping the categories {@code wanted} accepts (by id)
     * and all their ancestors.
     */
    public static EbayCategoryTree read(JsonFactory factory, InputStream body, Predicate<String> wanted) throws IOException {
        try (JsonParser parser = factory.createParser(body)) {
            expect(parser, parser.nextToken(), JsonToken.START_OBJECT, "the category tree");
            String treeId = null;
            String version = null;
            List<Category> matches = new ArrayList<>();
            boolean hadRoot = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "categoryTreeId" -> treeId = parser.getValueAsString();
                    case "categoryTreeVersion" -> version = parser.getValueAsString();
                    case "rootCategoryNode" -> {
                        expect(parser, value, JsonToken.START_OBJECT, "rootCategoryNode");
                        readNode(parser, null, 0, wanted, matches);
                        hadRoot = true;
                    }
                    default -> parser.skipChildren();
                }
            }
            if (!hadRoot || version == null) {
                throw new PermanentFailure(EbayTokens.PEER, "the category tree answer has no " + (hadRoot ? "categoryTreeVersion" : "rootCategoryNode"));
            }
            return new EbayCategoryTree(treeId, version, withAncestors(matches));
        }
    }

    /**
     * One node and its children, depth first. The node's own fields may come after its children,
     * so a node is judged once its object is complete; children hold it as their parent already.
     */
    private static Category readNode(JsonParser parser, Category parent, int level, Predicate<String> wanted, List<Category> matches)
            throws IOException {
        if (level > MAX_DEPTH) {
            throw new PermanentFailure(EbayTokens.PEER, "the category tree nests deeper than " + MAX_DEPTH + " levels");
        }
        Category node = new Category(parent, level);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "category" -> {
                    expect(parser, value, JsonToken.START_OBJECT, "category");
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String categoryField = parser.currentName();
                        parser.nextToken();
                        switch (categoryField) {
                            case "categoryId" -> node.id = parser.getValueAsString();
                            case "categoryName" -> node.name = parser.getValueAsString();
                            default -> parser.skipChildren();
                        }
                    }
                }
                case "childCategoryTreeNodes" -> {
                    expect(parser, value, JsonToken.START_ARRAY, "childCategoryTreeNodes");
                    // the root's children are top-level categories: they have no parent category
                    Category childrensParent = level == 0 ? null : node;
                    JsonToken child;
                    while ((child = parser.nextToken()) != JsonToken.END_ARRAY) {
                        expect(parser, child, JsonToken.START_OBJECT, "a child category node");
                        readNode(parser, childrensParent, level + 1, wanted, matches);
                    }
                }
                default -> parser.skipChildren();
            }
        }
        if (level > 0) {
            if (node.id == null || node.id.isBlank() || node.name == null || node.name.isBlank()) {
                throw new PermanentFailure(EbayTokens.PEER, "a category at level " + level + " has no categoryId or categoryName"
                        + (node.id == null ? "" : " (categoryId " + node.id + ")"));
            }
            if (wanted.test(node.id)) {
                matches.add(node);
            }
        }
        return node;
    }

    private static List<Category> withAncestors(List<Category> matches) {
        Set<Category> kept = new LinkedHashSet<>();
        for (Category category : matches) {
            for (Category c = category; c != null && kept.add(c); c = c.parent) {
                // walk up until the root or a branch already kept
            }
        }
        List<Category> ordered = new ArrayList<>(kept);
        ordered.sort(Comparator.comparingInt(Category::level));
        return ordered;
    }

    private static void expect(JsonParser parser, JsonToken actual, JsonToken expected, String what) {
        if (actual != expected) {
            throw new PermanentFailure(EbayTokens.PEER, what + " should be " + expected + " but is " + actual + " at "
                    + parser.currentLocation().offsetDescription());
        }
    }
}

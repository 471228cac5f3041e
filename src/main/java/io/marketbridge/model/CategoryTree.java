package io.marketbridge.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * A channel's category tree as Odoo's product categories take it: under {@code rootPath}, each node
 * keyed by the external id {@code externalIdPrefix + id}, so a renamed or moved node is renamed or
 * moved, not duplicated. Nodes come parents first ({@code level} 1 at the top).
 */
@RegisterForReflection
public record CategoryTree(List<String> rootPath, String externalIdPrefix, List<Node> nodes) {

    /** The exchange property where the category writer leaves what it did ({@link Written}). */
    public static final String WRITTEN = "categoriesWritten";

    /** @param parentId the parent node's id, null at the top of the tree */
    @RegisterForReflection
    public record Node(String id, String name, String parentId, int level) {
    }

    /** What writing a tree did: categories created, adopted (same name under the same parent), renamed, moved, unchanged. */
    @RegisterForReflection
    public record Written(int created, int linked, int renamed, int moved, int unchanged) {
    }
}

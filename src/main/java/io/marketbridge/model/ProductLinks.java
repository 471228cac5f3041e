package io.marketbridge.model;


import java.sql.SQLException;
import java.util.Optional;

/**
 * What a channel remembers of the Odoo products its listings became, and of the newest event applied
 * to each listing: the product writer applies a listing's events one at a time and in order through it.
 */
public interface ProductLinks {

    /** The Odoo records a listing became; {@code productId} is null until its first import finished. */
    record Link(Long productTemplateId, Long productId) {
    }

    /** A write that needs the listing's link. */
    interface LinkedWrite {
        void apply(Optional<Link> link) throws SQLException;
    }

    /** Runs {@code write} under the listing's lock with its link, unless a newer event of the listing was already applied. */
    void inOrder(ProductUpsert product, LinkedWrite write) throws SQLException;

    /** Records the listing's template and (first) variant, and the SKUs it sells. */
    void saveImported(ProductUpsert product, long templateId, long productId) throws SQLException;
}

package io.marketbridge.sandbox.cartona;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The supplier's products as the simulated Cartona holds them, lean enough for 100,000 of them (about 150 bytes
 * each): price in hundredths, numbers unboxed, and the listing order kept as the list of keys, so a page is a
 * slice of it rather than a sort.
 */
final class SupplierProducts {

    /** One product: Cartona's own id, the price in hundredths (-1: not priced yet), stock, and when it last changed (epoch ms). */
    record Product(int supplierProductId, long priceCents, int stock, boolean unlimited, long updatedAt) {
    }

    private final Map<String, Product> byInternalId = new HashMap<>();
    private final List<String> listingOrder = new ArrayList<>();

    /**
     * Updates the product in place, or creates it (as the next in Cartona's list) when {@code create} allows;
     * false when it is unknown and may not be created.
     */
    synchronized boolean put(String internalProductId, long priceCents, int stock, boolean unlimited, boolean create) {
        Product old = byInternalId.get(internalProductId);
        if (old == null && !create) {
            return false;
        }
        int supplierProductId = old != null ? old.supplierProductId() : listingOrder.size() + 1;
        if (old == null) {
            listingOrder.add(internalProductId);
        }
        byInternalId.put(internalProductId, new Product(supplierProductId, priceCents, stock, unlimited, System.currentTimeMillis()));
        return true;
    }

    /** The product as Cartona answers it, or null. */
    synchronized Map<String, Object> get(String internalProductId) {
        Product product = byInternalId.get(internalProductId);
        return product == null ? null : view(internalProductId, product);
    }

    /** Page {@code page} (from 1) of {@code perPage}, in the order Cartona first saw them. */
    synchronized List<Map<String, Object>> page(int page, int perPage) {
        List<Map<String, Object>> products = new ArrayList<>();
        long from = (long) (page - 1) * perPage;
        for (long i = from; i < Math.min(listingOrder.size(), from + perPage); i++) {
            String id = listingOrder.get((int) i);
            products.add(view(id, byInternalId.get(id)));
        }
        return products;
    }

    synchronized int size() {
        return byInternalId.size();
    }

    synchronized void clear() {
        byInternalId.clear();
        listingOrder.clear();
    }

    private static Map<String, Object> view(String internalProductId, Product product) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("supplier_product_id", product.supplierProductId());
        view.put("internal_product_id", internalProductId);
        view.put("selling_price", product.priceCents() < 0 ? null : BigDecimal.valueOf(product.priceCents(), 2).toPlainString());
        view.put("available_stock_quantity", product.stock());
        view.put("is_unlimited_stock", product.unlimited());
        view.put("updated_at", Instant.ofEpochMilli(product.updatedAt()).toString());
        return view;
    }
}

package io.marketbridge.cartona;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.marketbridge.channels.CatalogItem;
import io.marketbridge.channels.ChannelConnector;
import io.marketbridge.channels.PushResult;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Odoo's catalog on Cartona: price and stock of each product through {@code supplier-product/bulk-update}, one call
 * per batch of at most {@link #maxBatch()} products, keyed by {@code internal_product_id}: the Odoo variant id by
 * default, as Cartona's own Odoo module keys it ({@code marketbridge.cartona.product-key}; {@code default-code} sends
 * the SKU instead). 429, 5xx and an unreachable Cartona are transient (Retry-After honoured); a refused token, or any
 * other 4xx, is permanent; products the answer lists as failed (a product Cartona does not know among them) come back
 * rejected with Cartona's message, the others of the batch accepted (see {@link CartonaBulkUpdateAnswer}).
 * <p>
 * UNCONFIRMED (Cartona publishes no API reference; shared/docs/protocols/cartona.md): the paths, the
 * {@code AuthorizationToken} header, the limit of 100 per call (the module's default), the entry's fields, and above
 * all what Cartona answers: whether an unknown {@code internal_product_id} is refused, created or silently ignored,
 * and in what shape a per-item failure comes back. The module itself reads no per-item answer.
 */
@Singleton
public class CartonaConnector implements ChannelConnector {

    public static final String PEER = CartonaApi.PEER;
    private static final Logger LOG = Logger.getLogger(CartonaConnector.class);

    private final CartonaConfig settings;
    private final CartonaApi api;
    private final ObjectMapper json;

    CartonaConnector(CartonaConfig config, CartonaApi api, ObjectMapper json) {
        this.settings = config;
        this.api = api;
        this.json = json;
    }

    @Override
    public String channel() {
        return PEER;
    }

    @Override
    public boolean enabled() {
        return settings.enabled();
    }

    @Override
    public int maxBatch() {
        return settings.batchSize();
    }

    @Override
    public List<PushResult> push(List<CatalogItem> batch) {
        if (batch.size() > maxBatch()) {
            throw new IllegalArgumentException("a Cartona push carries at most " + maxBatch() + " products (marketbridge.cartona.batch-size), not "
                    + batch.size());
        }
        PushResult[] results = new PushResult[batch.size()];
        ArrayNode entries = json.createArrayNode();
        List<Integer> sent = new ArrayList<>();
        List<String> sentIds = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            CatalogItem item = batch.get(i);
            String id = internalProductId(item);
            if (id == null) {
                results[i] = PushResult.rejected(item.sku(), "no internal reference in Odoo: Cartona needs one as internal_product_id"
                        + " (marketbridge.cartona.product-key=default-code)");
            } else if (item.price() == null || item.price().signum() < 0) {
                results[i] = PushResult.rejected(item.sku(), "no sales price in Odoo (" + item.price() + ")");
            } else {
                entries.addObject()
                        .put("internal_product_id", id)
                        .put("selling_price", item.price().setScale(2, RoundingMode.HALF_UP).toPlainString())
                        .put("available_stock_quantity", Math.max(0, item.quantity()))
                        .put("is_unlimited_stock", false);
                sent.add(i);
                sentIds.add(id);
            }
        }
        if (!sent.isEmpty()) {
            String what = "bulk-update of " + sent.size() + " products";
            JsonNode answer = api.post(api.mainAccount(), settings.bulkUpdatePath(), entries, what);
            CartonaBulkUpdateAnswer.Reading reading = CartonaBulkUpdateAnswer.read(answer, sentIds);
            if (!reading.unattributed().isEmpty()) {
                LOG.warnf("Cartona's answer to a %s reports failures that name none of its products: %s", what, reading.unattributed());
            }
            for (int j = 0; j < sent.size(); j++) {
                String sku = batch.get(sent.get(j)).sku();
                String reason = reading.rejected().get(j);
                results[sent.get(j)] = reason == null ? PushResult.accepted(sku) : PushResult.rejected(sku, reason);
            }
        }
        return Arrays.asList(results);
    }

    /** One cheap authenticated read ({@code supplier-product?page=1&per_page=1}) per account; throws the classified failure. */
    public void checkConnection() {
        for (CartonaAccount account : api.accounts()) {
            api.get(account, settings.productsPath().replaceAll("^/+", "") + "?page=1&per_page=1", "connection test of " + account);
        }
    }

    /** What Cartona knows the item by ({@code internal_product_id}), or null when Odoo has no such key for it. */
    public String internalProductId(CatalogItem item) {
        return switch (settings.productKey()) {
            case ODOO_VARIANT_ID -> String.valueOf(item.productId());
            case DEFAULT_CODE -> item.sku() == null || item.sku().isBlank() ? null : item.sku();
        };
    }
}

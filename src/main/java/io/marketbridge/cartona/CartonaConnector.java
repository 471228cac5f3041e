package io.marketbridge.cartona;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.marketbridge.channels.CatalogItem;
import io.marketbridge.channels.ChannelConnector;
import io.marketbridge.channels.PushResult;
import io.marketbridge.config.MarketbridgeConfig;
import io.marketbridge.config.RequiredSettings;
import io.marketbridge.pipeline.PeerHttp;
import io.marketbridge.pipeline.PermanentFailure;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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

    public static final String PEER = "cartona";
    private static final int MAX_ERROR_TEXT = 500;
    private static final Logger LOG = Logger.getLogger(CartonaConnector.class);

    private final MarketbridgeConfig.Cartona settings;
    private final PeerHttp http;
    private final ObjectMapper json;
    private final URI bulkUpdate;
    private final URI connectionCheck;

    CartonaConnector(MarketbridgeConfig config, PeerHttp http, ObjectMapper json) {
        this.settings = config.cartona();
        this.http = http;
        this.json = json;
        if (settings.enabled()) {
            RequiredSettings.verify(config);
            // the base is a directory: relative paths go under it, with or without its trailing slash
            URI base = URI.create(settings.url().orElseThrow().toString().replaceAll("/*$", "/"));
            this.bulkUpdate = base.resolve(relative(settings.bulkUpdatePath()));
            this.connectionCheck = base.resolve(relative(settings.productsPath()) + "?page=1&per_page=1");
        } else {
            this.bulkUpdate = null;
            this.connectionCheck = null;
        }
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
        requireEnabled();
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
            HttpResponse<byte[]> response = http.send(PEER, request(bulkUpdate)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(entries))).build());
            requireSuccess(response, what);
            CartonaBulkUpdateAnswer.Reading reading = CartonaBulkUpdateAnswer.read(parse(response.body()), sentIds);
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

    /** One cheap authenticated read ({@code supplier-product?page=1&per_page=1}); throws the classified failure. */
    public void checkConnection() {
        requireEnabled();
        requireSuccess(http.send(PEER, request(connectionCheck).GET().build()), "connection test");
    }

    /** What Cartona knows the item by ({@code internal_product_id}), or null when Odoo has no such key for it. */
    public String internalProductId(CatalogItem item) {
        return switch (settings.productKey()) {
            case ODOO_VARIANT_ID -> String.valueOf(item.productId());
            case DEFAULT_CODE -> item.sku() == null || item.sku().isBlank() ? null : item.sku();
        };
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(settings.timeout())
                .header(settings.authHeader(), settings.token().orElseThrow())
                .header("Accept", "application/json");
    }

    private void requireSuccess(HttpResponse<byte[]> response, String what) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        String text = errorText(response.body());
        if (status == 401 || status == 403) {
            throw new PermanentFailure(PEER, "HTTP " + status + " on " + what + ": Cartona refused the token; check marketbridge.cartona.token"
                    + " (MARKETBRIDGE_CARTONA_TOKEN) and the header it is sent in, marketbridge.cartona.auth-header (" + settings.authHeader()
                    + ")" + (text.isEmpty() ? "" : ". Cartona said: " + text));
        }
        throw PeerHttp.failure(PEER, status, PeerHttp.retryAfter(response).orElse(null), what + (text.isEmpty() ? "" : ": " + text));
    }

    /** Cartona's error text: a JSON {@code message}/{@code error}/{@code errors}, or the body as text, shortened. */
    private String errorText(byte[] body) {
        JsonNode parsed = parse(body);
        String text = "";
        if (parsed != null && parsed.isObject()) {
            for (String field : List.of("message", "error", "errors")) {
                text = CartonaBulkUpdateAnswer.text(parsed.get(field));
                if (!text.isEmpty()) {
                    break;
                }
            }
        }
        if (text.isEmpty()) {
            text = new String(body, StandardCharsets.UTF_8).strip();
        }
        return text.length() > MAX_ERROR_TEXT ? text.substring(0, MAX_ERROR_TEXT) + "..." : text;
    }

    /** The body as JSON, or null when it is empty or not JSON (Cartona's answers are undocumented). */
    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }

    private byte[] bytes(JsonNode entries) {
        try {
            return json.writeValueAsBytes(entries);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a Cartona bulk-update", e);
        }
    }

    private void requireEnabled() {
        if (!settings.enabled()) {
            throw new PermanentFailure(PEER, "Cartona is not enabled (marketbridge.cartona.enabled)");
        }
    }

    private static String relative(String path) {
        return path.replaceAll("^/+", "");
    }
}

package io.marketbridge.channels;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * One line of a dry run: what the real run will do with a product and why.
 *
 * @param action      CREATE, UPDATE, REASSERT (unchanged, sent again by a reconciliation), SKIP (nothing to send),
 *                    WITHDRAW (shown with stock, no longer carried: quantity 0) or REFUSED
 * @param product     the product as the channel names it: the SKU on eBay and Cartona, the external id on Medusa
 * @param skus        the SKUs it covers
 * @param differences what will change ("price 40.00 -> 44.00"), or why it is refused
 */
@RegisterForReflection
public record PlanEntry(String action, String product, List<String> skus, List<String> differences) {
}

package io.marketbridge.ebay.notifications;

import io.marketbridge.ebay.contract.EbayContractChecked;
import io.marketbridge.ebay.listings.ListingFlowContract;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.marketbridge.testsupport.Sandbox.deliver;
import static io.marketbridge.testsupport.Sandbox.list;
import static io.marketbridge.testsupport.Sandbox.newSku;
import static io.marketbridge.testsupport.Sandbox.productsBySku;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Platform Notifications carry the whole listing: eBay allows descriptions of 500,000 characters, so the
 * body limit (marketbridge.ebay.notification.max-body-bytes, a few MB) must let them through, while the
 * DOCTYPE and entity guard still refuses what it always refused.
 */
@QuarkusTest
class EbayPlatformNotificationSizeTest implements EbayContractChecked {

    @Test
    void aListingWithA500000CharacterDescriptionBecomesAProduct() {
        String sku = newSku();
        String description = "<p>" + "Lens & body, mint. ".repeat(500_000 / 19 - 1) + "</p>";
        Map<String, Object> listing = ListingFlowContract.listing(sku);
        listing.put("description", description.substring(0, Math.min(description.length(), 500_000 - 4)) + "</p>");
        JsonPath listed = list(listing);

        deliver(listed.getString("notification")).then().statusCode(200).body(equalTo("OK"));

        await().atMost(Duration.ofSeconds(30)).until(() -> productsBySku(sku).size() == 1);
        // Odoo's sale description keeps its first 4,000 characters, as for any listing
        String sale = String.valueOf(productsBySku(sku).get(0).get("description_sale"));
        assertTrue(sale.startsWith("Lens & body, mint."), sale.substring(0, Math.min(60, sale.length())));
    }

    @Test
    void aDoctypeIsStillRefusedWhateverTheSize() {
        String sku = newSku();
        String soap = list(ListingFlowContract.listing(sku)).getString("notification");
        String withDoctype = soap.replaceFirst("<\\?xml[^>]*\\?>", "")
                .replaceFirst("^", "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY big \"" + "a".repeat(1000) + "\">]>");
        deliver(withDoctype).then().statusCode(400).body(containsString("DOCTYPE"));
    }
}

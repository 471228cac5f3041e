package io.marketbridge.ebay;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.marketbridge.testsupport.Sandbox.clearOdooFaults;
import static io.marketbridge.testsupport.Sandbox.deliver;
import static io.marketbridge.testsupport.Sandbox.end;
import static io.marketbridge.testsupport.Sandbox.inboxCount;
import static io.marketbridge.testsupport.Sandbox.list;
import static io.marketbridge.testsupport.Sandbox.newEan;
import static io.marketbridge.testsupport.Sandbox.newSku;
import static io.marketbridge.testsupport.Sandbox.notification;
import static io.marketbridge.testsupport.Sandbox.odoo;
import static io.marketbridge.testsupport.Sandbox.odooCreate;
import static io.marketbridge.testsupport.Sandbox.odooWrites;
import static io.marketbridge.testsupport.Sandbox.productsBySku;
import static io.marketbridge.testsupport.Sandbox.revise;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * eBay listing → Odoo product through the running service: signed Platform Notifications in,
 * products in the simulated Odoo out. Run on H2 and on PostgreSQL by the subclasses.
 */
public abstract class ListingFlowContract {

    @AfterEach
    void clearFaults() {
        clearOdooFaults();
    }

    static Map<String, Object> listing(String sku) {
        Map<String, Object> listing = new HashMap<>();
        listing.put("sku", sku);
        listing.put("title", "Canon EOS 250D " + sku);
        listing.put("price", "489.90");
        listing.put("quantity", 7);
        listing.put("quantitySold", 2);
        listing.put("categoryId", "31388");
        listing.put("categoryName", "Cameras & Photo:Digital Cameras");
        listing.put("description", "<p>Body only, <b>like new</b> &amp; boxed.</p>");
        return listing;
    }

    static Map<String, Object> awaitProduct(String sku) {
        await().atMost(Duration.ofSeconds(10)).until(() -> productsBySku(sku).size() == 1);
        return productsBySku(sku).get(0);
    }

    @Test
    void listedItemBecomesAnOdooProduct() {
        String sku = newSku();
        JsonPath listed = list(listing(sku));
        String itemId = listed.getString("itemId");

        deliver(listed.getString("notification")).then().statusCode(200).body(equalTo("OK"));

        Map<String, Object> product = awaitProduct(sku);
        assertEquals("Canon EOS 250D " + sku, product.get("name"));
        assertEquals(489.9, ((Number) product.get("list_price")).doubleValue(), 0.001);
        assertEquals("All / eBay / Cameras & Photo / Digital Cameras", ((List<?>) product.get("categ_id")).get(1));
        assertEquals("Body only, like new & boxed.", product.get("description_sale"));
        assertEquals("product", product.get("type"), "storable on Odoo 17");
        await().atMost(Duration.ofSeconds(5)).until(() -> ((Number) productsBySku(sku).get(0).get("qty_available")).doubleValue() == 5.0);

        long template = ((Number) ((List<?>) product.get("product_tmpl_id")).get(0)).longValue();
        List<Map<String, Object>> externalIds = odoo("ir.model.data",
                List.of(List.of("module", "=", "marketbridge"), List.of("name", "=", "ebay_item_" + itemId)), List.of("model", "res_id"));
        assertEquals(1, externalIds.size());
        assertEquals("product.template", externalIds.get(0).get("model"));
        assertEquals(template, ((Number) externalIds.get(0).get("res_id")).longValue());
        await().atMost(Duration.ofSeconds(5)).until(() -> odoo("mail.message",
                List.of(List.of("model", "=", "product.template"), List.of("res_id", "=", template)), List.of("body"))
                .stream().anyMatch(m -> String.valueOf(m.get("body")).contains("eBay listing " + itemId)));
    }

    @Test
    void revisedItemChangesNameAndPriceButNotStock() {
        String sku = newSku();
        JsonPath listed = list(listing(sku));
        deliver(listed.getString("notification")).then().statusCode(200);
        awaitProduct(sku);

        JsonPath revised = revise(listed.getString("itemId"), Map.of("title", "Canon EOS 250D (revised)", "price", "459.00", "quantity", 40));
        deliver(revised.getString("notification")).then().statusCode(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> "Canon EOS 250D (revised)".equals(productsBySku(sku).get(0).get("name")));
        Map<String, Object> product = productsBySku(sku).get(0);
        assertEquals(459.0, ((Number) product.get("list_price")).doubleValue(), 0.001);
        assertEquals(5.0, ((Number) product.get("qty_available")).doubleValue(), 0.001, "Odoo owns stock after the first import");
        assertEquals(1, productsBySku(sku).size());
    }

    @Test
    void theSameNotificationTwiceIsProcessedOnce() {
        String sku = newSku();
        String soap = list(listing(sku)).getString("notification");
        long before = inboxCount("ebay.ItemListed", "DONE");

        deliver(soap).then().statusCode(200);
        deliver(soap).then().statusCode(200);

        awaitProduct(sku);
        await().atMost(Duration.ofSeconds(5)).until(() -> inboxCount("ebay.ItemListed", "DONE") == before + 1);
        assertEquals(1, productsBySku(sku).size());
        assertEquals(0, inboxCount("ebay.ItemListed", "PENDING"));
    }

    @Test
    void aListingWithoutSkuIsKeyedByItemId() {
        Map<String, Object> listing = listing(null);
        listing.remove("sku");
        JsonPath listed = list(listing);
        deliver(listed.getString("notification")).then().statusCode(200);
        awaitProduct("ebay-" + listed.getString("itemId"));
    }

    @Test
    void anEndedListingKeepsItsProduct() {
        String sku = newSku();
        JsonPath listed = list(listing(sku));
        deliver(listed.getString("notification")).then().statusCode(200);
        Map<String, Object> product = awaitProduct(sku);
        long template = ((Number) ((List<?>) product.get("product_tmpl_id")).get(0)).longValue();

        deliver(end(listed.getString("itemId")).getString("notification")).then().statusCode(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> odoo("mail.message",
                List.of(List.of("model", "=", "product.template"), List.of("res_id", "=", template)), List.of("body"))
                .stream().anyMatch(m -> String.valueOf(m.get("body")).contains("ended")));
        assertEquals(Boolean.TRUE, productsBySku(sku).get(0).get("active"));
    }

    @Test
    void aBarcodeOdooAlreadyHasIsLeftOutButTheProductIsImported() {
        String ean = newEan();
        String owner = newSku();
        odooCreate("product.template", Map.of("name", "Has the barcode", "default_code", owner, "barcode", ean));
        String sku = newSku();
        Map<String, Object> listing = listing(sku);
        listing.put("ean", ean);
        deliver(list(listing).getString("notification")).then().statusCode(200);

        Map<String, Object> product = awaitProduct(sku);
        assertEquals(Boolean.FALSE, product.get("barcode"));
        assertEquals(ean, productsBySku(owner).get(0).get("barcode"));
    }

    @Test
    void aNewListingsBarcodeIsImported() {
        String ean = newEan();
        String sku = newSku();
        Map<String, Object> listing = listing(sku);
        listing.put("ean", ean);
        deliver(list(listing).getString("notification")).then().statusCode(200);
        assertEquals(ean, awaitProduct(sku).get("barcode"));
    }

    @Test
    void aValidEventNoFlowHandlesIsAcknowledgedAndStored() {
        long before = inboxCount("ebay.ItemSuspended", "DONE");
        deliver(notification(Map.of("eventName", "ItemSuspended", "sku", newSku()))).then().statusCode(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> inboxCount("ebay.ItemSuspended", "DONE") == before + 1);
    }

    // --- bad input: a clear 4xx and nothing written to Odoo -----------------------------------

    private static void assertRejected(String soap, int status, String reason, String sku) throws InterruptedException {
        long writes = odooWrites();
        deliver(soap).then().statusCode(status).body("error", containsString(reason));
        Thread.sleep(600); // several dispatcher runs: anything stored would have reached Odoo by now
        assertEquals(writes, odooWrites(), "nothing may be written to Odoo");
        if (sku != null) {
            assertTrue(productsBySku(sku).isEmpty());
        }
    }

    @Test
    void aBadSignatureIsRejected() throws InterruptedException {
        String sku = newSku();
        String soap = list(listing(sku)).getString("notification")
                .replaceFirst("(<ebl:NotificationSignature[^>]*>)[^<]+", "$1AAAAAAAAAAAAAAAAAAAAA==");
        assertRejected(soap, 401, "NotificationSignature does not match", sku);
    }

    @Test
    void aMissingSignatureIsRejected() throws InterruptedException {
        String sku = newSku();
        String soap = list(listing(sku)).getString("notification").replaceFirst("<ebl:NotificationSignature[^>]*>[^<]+</ebl:NotificationSignature>", "");
        assertRejected(soap, 401, "NotificationSignature does not match", sku);
    }

    @Test
    void aStaleTimestampIsRejected() throws InterruptedException {
        String sku = newSku();
        String soap = notification(Map.of("eventName", "ItemListed", "sku", sku,
                "timestamp", Instant.now().minus(Duration.ofMinutes(20)).toString()));
        assertRejected(soap, 401, "outside the accepted window", sku);
    }

    @Test
    void malformedXmlIsRejected() throws InterruptedException {
        String sku = newSku();
        String soap = list(listing(sku)).getString("notification");
        assertRejected(soap.substring(0, soap.length() / 2), 400, "malformed SOAP notification", sku);
        assertRejected("not xml at all", 400, "malformed SOAP notification", null);
        assertRejected("<Envelope/>", 400, "not a SOAP Envelope", null);
    }

    @Test
    void anXxePayloadIsRejected() throws InterruptedException {
        String sku = newSku();
        String soap = list(listing(sku)).getString("notification")
                .replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>")
                .replaceFirst("<Title>[^<]*</Title>", "<Title>&xxe;</Title>");
        assertRejected(soap, 400, "DOCTYPE", sku);
    }

    @Test
    void aBillionLaughsPayloadIsRejected() throws InterruptedException {
        StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
        dtd.append("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
        for (int i = 2; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">\n");
        }
        dtd.append("]>\n<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>")
                .append("<GetItemResponse xmlns=\"urn:ebay:apis:eBLBaseComponents\"><Title>&lol9;</Title></GetItemResponse>")
                .append("</soapenv:Body></soapenv:Envelope>");
        assertRejected(dtd.toString(), 400, "DOCTYPE", null);
    }

    @Test
    void anOversizedBodyIsRejected() throws InterruptedException {
        String sku = newSku();
        String soap = list(listing(sku)).getString("notification")
                .replace("<Ack>Success</Ack>", "<Ack>Success</Ack><!--" + "x".repeat(300_000) + "-->");
        assertRejected(soap, 413, "exceeds the limit", sku);
    }
}

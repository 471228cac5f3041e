package io.marketbridge.ebay.listings;

import io.marketbridge.testsupport.Sandbox;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.marketbridge.testsupport.Sandbox.admin;
import static io.marketbridge.testsupport.Sandbox.awaitIdle;
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

    public static Map<String, Object> listing(String sku) {
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

    /** A shirt in two colours and two sizes, sold in three of the four combinations; M costs more. */
    static Map<String, Object> shirt(String sku) {
        Map<String, Object> listing = new HashMap<>();
        listing.put("title", "Oxford shirt " + sku);
        listing.put("price", "20.00");
        listing.put("categoryId", "11450");
        listing.put("categoryName", "Clothing, Shoes & Accessories");
        listing.put("variations", List.of(
                variation(sku + "-RED-S", "20.00", 5, 1, "Color", "Red", "Size", "S"),
                variation(sku + "-RED-M", "22.50", 3, 0, "Color", "Red", "Size", "M"),
                variation(sku + "-BLUE-S", "20.00", 2, 2, "Color", "Blue", "Size", "S")));
        return listing;
    }

    /** {@code specifics}: name, value, name, value... */
    static Map<String, Object> variation(String sku, String price, int quantity, int sold, String... specifics) {
        Map<String, Object> byName = new LinkedHashMap<>();
        for (int i = 0; i < specifics.length; i += 2) {
            byName.put(specifics[i], specifics[i + 1]);
        }
        return Map.of("sku", sku, "price", price, "quantity", quantity, "quantitySold", sold, "specifics", byName);
    }

    static long templateOf(Map<String, Object> product) {
        return ((Number) ((List<?>) product.get("product_tmpl_id")).get(0)).longValue();
    }

    static double number(Map<String, Object> record, String field) {
        return ((Number) record.get(field)).doubleValue();
    }

    @Test
    void aMultiVariationListingBecomesOneTemplateWithAVariantPerVariation() {
        String sku = newSku();
        JsonPath listed = list(shirt(sku));
        String itemId = listed.getString("itemId");

        deliver(listed.getString("notification")).then().statusCode(200);

        Map<String, Object> redS = awaitProduct(sku + "-RED-S");
        long template = templateOf(redS);
        Map<String, Object> redM = productsBySku(sku + "-RED-M").get(0);
        Map<String, Object> blueS = productsBySku(sku + "-BLUE-S").get(0);
        assertEquals(template, templateOf(redM), "one template");
        assertEquals(template, templateOf(blueS), "one template");
        assertEquals("Oxford shirt " + sku, redS.get("name"));
        assertEquals(20.0, number(redS, "lst_price"), 0.001, "the lowest variation price is the template's");
        assertEquals(22.5, number(redM, "lst_price"), 0.001, "size M carries the difference");
        assertEquals(20.0, number(blueS, "lst_price"), 0.001);
        assertEquals("All / eBay / Clothing, Shoes & Accessories", ((List<?>) redS.get("categ_id")).get(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> number(productsBySku(sku + "-RED-M").get(0), "qty_available") == 3.0);
        assertEquals(4.0, number(productsBySku(sku + "-RED-S").get(0), "qty_available"), 0.001, "quantity minus sold");
        assertEquals(0.0, number(blueS, "qty_available"), 0.001, "sold out");

        List<Map<String, Object>> variants = odoo("product.product", List.of(List.of("product_tmpl_id", "=", template)),
                List.of("default_code", "active"));
        assertEquals(4, variants.size(), "Odoo made every combination");
        List<Map<String, Object>> unsold = variants.stream().filter(v -> Boolean.FALSE.equals(v.get("default_code"))).toList();
        assertEquals(1, unsold.size(), "blue M is not sold on eBay");
        assertEquals(false, unsold.get(0).get("active"), "and so archived");
        List<String> attributes = odoo("product.template.attribute.line", List.of(List.of("product_tmpl_id", "=", template)),
                List.of("attribute_id")).stream().map(l -> String.valueOf(((List<?>) l.get("attribute_id")).get(1))).toList();
        assertEquals(List.of("Color", "Size"), attributes);
        assertEquals(1, odoo("ir.model.data", List.of(List.of("module", "=", "marketbridge"), List.of("name", "=", "ebay_item_" + itemId),
                List.of("res_id", "=", template)), List.of("model")).size());
    }

    @Test
    void aRevisionAddingASizeAddsItsVariantAndLeavesTheOthersStock() {
        String sku = newSku();
        Map<String, Object> shirt = shirt(sku);
        JsonPath listed = list(shirt);
        deliver(listed.getString("notification")).then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> productsBySku(sku + "-RED-M").size() == 1
                && number(productsBySku(sku + "-RED-M").get(0), "qty_available") == 3.0);
        long template = templateOf(productsBySku(sku + "-RED-S").get(0));

        List<Object> variations = new ArrayList<>((List<?>) shirt.get("variations"));
        variations.set(1, variation(sku + "-RED-M", "24.00", 9, 0, "Color", "Red", "Size", "M"));
        variations.add(variation(sku + "-RED-L", "26.00", 6, 0, "Color", "Red", "Size", "L"));
        JsonPath revised = revise(listed.getString("itemId"), Map.of("variations", variations));
        deliver(revised.getString("notification")).then().statusCode(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> productsBySku(sku + "-RED-L").size() == 1
                && number(productsBySku(sku + "-RED-L").get(0), "qty_available") == 6.0);
        Map<String, Object> redL = productsBySku(sku + "-RED-L").get(0);
        assertEquals(template, templateOf(redL), "the new size joins the template");
        assertEquals(26.0, number(redL, "lst_price"), 0.001);
        Map<String, Object> redM = productsBySku(sku + "-RED-M").get(0);
        assertEquals(24.0, number(redM, "lst_price"), 0.001, "the revised price");
        assertEquals(3.0, number(redM, "qty_available"), 0.001, "Odoo owns stock after the first import");
        List<Map<String, Object>> variants = odoo("product.product", List.of(List.of("product_tmpl_id", "=", template)),
                List.of("default_code", "active"));
        assertEquals(6, variants.size(), "2 colours x 3 sizes");
        assertEquals(2, variants.stream().filter(v -> Boolean.FALSE.equals(v.get("default_code")) && Boolean.FALSE.equals(v.get("active"))).count(),
                "blue M and blue L archived");
    }

    @Test
    void aVariationListingGainingAnAttributeIsDeadLetteredWithWhatToDo() {
        String sku = newSku();
        JsonPath listed = list(shirt(sku));
        deliver(listed.getString("notification")).then().statusCode(200);
        awaitProduct(sku + "-RED-S");

        List<Object> variations = List.of(
                variation(sku + "-RED-S", "20.00", 5, 1, "Color", "Red", "Size", "S", "Sleeve", "Short"),
                variation(sku + "-RED-S-LONG", "21.00", 1, 0, "Color", "Red", "Size", "S", "Sleeve", "Long"));
        String itemId = listed.getString("itemId");
        deliver(revise(itemId, Map.of("variations", variations)).getString("notification")).then().statusCode(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> Sandbox.admin("/dead-letters").getList("$", Map.class).stream()
                .anyMatch(l -> String.valueOf(l.get("reason")).contains("listing " + itemId + " now varies by Sleeve")));
        assertTrue(productsBySku(sku + "-RED-S-LONG").isEmpty(), "nothing guessed");
    }

    @Test
    void aVariationImportCutShortAfterOdooMadeTheTemplateIsFinishedByItsRetryWithNoSecondTemplate() {
        String sku = newSku();
        // the template and its variants are committed, then the next call fails: the SKUs are not written yet
        Sandbox.odooFault(Map.of("model", "product.template.attribute.value", "method", "search_read",
                "error", "psycopg2.errors.SerializationFailure", "message", "could not serialize access", "times", 1));
        JsonPath listed = list(shirt(sku));
        deliver(listed.getString("notification")).then().statusCode(200);

        Map<String, Object> redS = awaitProduct(sku + "-RED-S");
        assertEquals(1, odoo("product.template", List.of(List.of("name", "=", "Oxford shirt " + sku)), List.of("id")).size(),
                "the retry adopted the template the first attempt made");
        await().atMost(Duration.ofSeconds(5)).until(() -> number(productsBySku(sku + "-RED-S").get(0), "qty_available") == 4.0);
        assertEquals(templateOf(redS), templateOf(productsBySku(sku + "-BLUE-S").get(0)));
    }

    @Test
    void variationPricesOdooCannotHoldAreDeadLetteredNotApproximated() {
        String sku = newSku();
        // red M costs 2 more than red S, blue M 4 more than blue S: no size surcharge says both
        Map<String, Object> listing = new HashMap<>(shirt(sku));
        listing.put("variations", List.of(
                variation(sku + "-RED-S", "20.00", 1, 0, "Color", "Red", "Size", "S"),
                variation(sku + "-RED-M", "22.00", 1, 0, "Color", "Red", "Size", "M"),
                variation(sku + "-BLUE-S", "25.00", 1, 0, "Color", "Blue", "Size", "S"),
                variation(sku + "-BLUE-M", "29.00", 1, 0, "Color", "Blue", "Size", "M")));
        JsonPath listed = list(listing);
        String itemId = listed.getString("itemId");
        deliver(listed.getString("notification")).then().statusCode(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> Sandbox.admin("/dead-letters").getList("$", Map.class).stream()
                .anyMatch(l -> String.valueOf(l.get("reason")).contains("listing " + itemId + ": its variation prices are not one price")));
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
    void aValidEventNoFlowHandlesIsAcknowledgedStoredAndDeadLetteredSaySo() {
        long before = inboxCount("ebay.ItemSuspended", "DEAD");
        deliver(notification(Map.of("eventName", "ItemSuspended", "sku", newSku()))).then().statusCode(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> inboxCount("ebay.ItemSuspended", "DEAD") == before + 1);
        assertEquals(0, inboxCount("ebay.ItemSuspended", "DONE"), "never taken for done");
        List<Map<String, Object>> letters = admin("/dead-letters").getList("findAll { it.eventType == 'ebay.ItemSuspended' }");
        assertEquals("no flow for type ebay.ItemSuspended", letters.get(0).get("reason"));
        assertEquals("event-router", letters.get(0).get("flow"));
    }

    // --- bad input: a clear 4xx and nothing written to Odoo -----------------------------------

    private static void assertRejected(String soap, int status, String reason, String sku) {
        long writes = odooWrites();
        deliver(soap).then().statusCode(status).body("error", containsString(reason));
        awaitIdle(); // anything stored would have reached Odoo by now
        assertEquals(writes, odooWrites(), "nothing may be written to Odoo");
        if (sku != null) {
            assertTrue(productsBySku(sku).isEmpty());
        }
    }

    @Test
    void aBadSignatureIsRejected() {
        String sku = newSku();
        String soap = list(listing(sku)).getString("notification")
                .replaceFirst("(<ebl:NotificationSignature[^>]*>)[^<]+", "$1AAAAAAAAAAAAAAAAAAAAA==");
        assertRejected(soap, 401, "NotificationSignature does not match", sku);
    }

    @Test
    void aMissingSignatureIsRejected() {
        String sku = newSku();
        String soap = list(listing(sku)).getString("notification").replaceFirst("<ebl:NotificationSignature[^>]*>[^<]+</ebl:NotificationSignature>", "");
        assertRejected(soap, 401, "NotificationSignature does not match", sku);
    }

    @Test
    void aStaleTimestampIsRejected() {
        String sku = newSku();
        String soap = notification(Map.of("eventName", "ItemListed", "sku", sku,
                "timestamp", Instant.now().minus(Duration.ofMinutes(20)).toString()));
        assertRejected(soap, 401, "outside the accepted window", sku);
    }

    @Test
    void malformedXmlIsRejected() {
        String sku = newSku();
        String soap = list(listing(sku)).getString("notification");
        assertRejected(soap.substring(0, soap.length() / 2), 400, "malformed SOAP notification: Unexpected EOF", sku);
        assertRejected("not xml at all", 400, "malformed SOAP notification", null);
        assertRejected("<Envelope/>", 400, "not a SOAP Envelope", null);
    }

    @Test
    void anXxePayloadIsRejected() {
        String sku = newSku();
        String soap = list(listing(sku)).getString("notification")
                .replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>")
                .replaceFirst("<Title>[^<]*</Title>", "<Title>&xxe;</Title>");
        assertRejected(soap, 400, "DOCTYPE", sku);
    }

    @Test
    void aBillionLaughsPayloadIsRejected() {
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
    void anOversizedBodyIsRejected() {
        String sku = newSku();
        String padding = "x".repeat(4 * 1024 * 1024); // the whole 4 MiB of max-body-bytes, plus the notification
        String soap = list(listing(sku)).getString("notification")
                .replace("<Ack>Success</Ack>", "<Ack>Success</Ack><!--" + padding + "-->");
        assertRejected(soap, 413, "exceeds the limit", sku);
    }
}

package io.marketbridge.ebay.listings;

import io.marketbridge.ebay.notifications.EbayPlatformNotifications;
import io.marketbridge.ebay.notifications.PlatformNotificationParser;
import io.marketbridge.model.EbayListing;
import io.marketbridge.model.ProductUpsert;
import io.marketbridge.pipeline.PermanentFailure;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** eBay listing → product upsert, with no Camel, HTTP or Odoo. */
class EbayListingMapperTest {

    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");
    private final EbayListingMapper mapper = new EbayListingMapper(EbayListingMapper.rootPath("All / eBay"));

    private static EbayListing single(String sku, String title, String price, int quantity, int sold) {
        return new EbayListing("ItemListed", AT, "110011", sku, title, "<p>Body only, like new &amp; boxed.</p>",
                price == null ? null : new BigDecimal(price), "USD", quantity, sold, "31388", "Cameras & Photo:Digital Cameras",
                "Active", "4006381333931", null, false, List.of());
    }

    private static EbayListing withVariations(String sku, String price, EbayListing.Variation... variations) {
        return new EbayListing("ItemRevised", AT, "220022", sku, "Oxford shirt", null, price == null ? null : new BigDecimal(price), "USD",
                0, 0, "11450", "Clothing, Shoes & Accessories", "Active", "4006381333931", null, true, List.of(variations));
    }

    /** {@code specifics}: name, value, name, value... */
    private static EbayListing.Variation variation(String sku, String price, int quantity, int sold, String... specifics) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (int i = 0; i < specifics.length; i += 2) {
            byName.put(specifics[i], specifics[i + 1]);
        }
        return new EbayListing.Variation(sku, price == null ? null : new BigDecimal(price), quantity, sold, byName);
    }

    private static Map<String, BigDecimal> extras(ProductUpsert product, String attribute) {
        Map<String, BigDecimal> extras = new LinkedHashMap<>();
        product.attributes().stream().filter(a -> a.name().equals(attribute)).findFirst().orElseThrow().values()
                .forEach(v -> extras.put(v.name(), v.priceExtra()));
        return extras;
    }

    @Test
    void aSingleListingBecomesAProductWithItsSkuPriceCategoryBarcodeAndAvailableStock() {
        ProductUpsert product = mapper.toProductUpsert(single("CAM-1", "Canon EOS 250D", "489.90", 7, 2));

        assertFalse(product.hasVariants());
        assertEquals("ebay", product.channel());
        assertEquals("eBay listing 110011", product.describe());
        assertEquals("CAM-1", product.sku());
        assertEquals("Canon EOS 250D", product.name());
        assertEquals(new BigDecimal("489.90"), product.price());
        assertEquals("USD", product.currency());
        assertEquals("Body only, like new & boxed.", product.descriptionSale());
        assertEquals(List.of("All", "eBay", "Cameras & Photo", "Digital Cameras"), product.categoryPath());
        assertEquals("31388", product.channelCategoryId());
        assertEquals("4006381333931", product.barcode());
        assertEquals(5, product.onHand(), "quantity less quantity sold");
        assertEquals("ItemListed", product.eventName());
        assertEquals(AT, product.eventTime());
    }

    @Test
    void aListingWithoutSkuOrTitleIsKeyedAndNamedByItsItemId() {
        ProductUpsert product = mapper.toProductUpsert(single(null, " ", null, 1, 3));

        assertEquals("ebay-110011", product.sku());
        assertEquals("eBay item 110011", product.name());
        assertNull(product.price(), "no price: Odoo's is left as it is");
        assertEquals(0, product.onHand(), "more sold than listed is none available, never negative");
    }

    @Test
    void aListingWithoutCategoryGoesUnderTheRoot() {
        EbayListing listing = new EbayListing("ItemListed", AT, "1", "S", "T", null, BigDecimal.ONE, "USD", 1, 0, null, null, null, null,
                null, false, null);
        ProductUpsert product = mapper.toProductUpsert(listing);
        assertEquals(List.of("All", "eBay"), product.categoryPath());
        assertNull(product.descriptionSale());
        assertNull(product.barcode());
    }

    @Test
    void aMultiVariationListingBecomesATemplateAtTheLowestPriceWithTheSizeSurchargeOnItsValues() {
        ProductUpsert product = mapper.toProductUpsert(withVariations("SHIRT", "20.00",
                variation("SHIRT-RED-S", "20.00", 5, 1, "Color", "Red", "Size", "S"),
                variation("SHIRT-RED-M", "22.50", 3, 0, "Color", "Red", "Size", "M"),
                variation("SHIRT-BLUE-S", "20.00", 2, 2, "Color", "Blue", "Size", "S")));

        assertTrue(product.hasVariants());
        assertEquals("SHIRT", product.sku());
        assertEquals(new BigDecimal("20.00"), product.price(), "the lowest variation price");
        assertNull(product.barcode(), "a barcode belongs to one variant, never to a template of several");
        assertEquals(List.of("Color", "Size"), product.attributes().stream().map(ProductUpsert.Attribute::name).toList());
        assertEquals(List.of("Red", "Blue"), List.copyOf(extras(product, "Color").keySet()));
        assertEquals(0, extras(product, "Size").get("M").compareTo(new BigDecimal("2.50")), "M costs 2.50 more");
        assertEquals(0, extras(product, "Size").get("S").signum());
        assertEquals(0, extras(product, "Color").get("Blue").signum(), "the size alone decides the price");

        assertEquals(List.of("SHIRT-RED-S", "SHIRT-RED-M", "SHIRT-BLUE-S"), product.variants().stream().map(ProductUpsert.Variant::sku).toList());
        assertEquals(List.of(4, 3, 0), product.variants().stream().map(ProductUpsert.Variant::onHand).toList());
        assertEquals(Map.of("Color", "Red", "Size", "M"), product.variants().get(1).values());
        assertTrue(product.variants().stream().allMatch(ProductUpsert.Variant::skuFromChannel));
    }

    @Test
    void aColourAndASizeSurchargeTogetherAreSolvedForEveryValue() {
        // blue costs 5 more, M 2 more; blue M is 7 more
        ProductUpsert product = mapper.toProductUpsert(withVariations("SHIRT", null,
                variation("R-S", "10.00", 1, 0, "Color", "Red", "Size", "S"),
                variation("R-M", "12.00", 1, 0, "Color", "Red", "Size", "M"),
                variation("B-S", "15.00", 1, 0, "Color", "Blue", "Size", "S"),
                variation("B-M", "17.00", 1, 0, "Color", "Blue", "Size", "M")));

        assertEquals(new BigDecimal("10.00"), product.price());
        for (ProductUpsert.Variant v : product.variants()) {
            BigDecimal priced = product.price().add(extras(product, "Color").get(v.values().get("Color")))
                    .add(extras(product, "Size").get(v.values().get("Size")));
            assertEquals(0, priced.compareTo(v.price()), v.sku() + " costs the template price plus its values' extras");
        }
    }

    @Test
    void variationPricesNoSumOfSurchargesCanGiveAreRefused() {
        // red M costs 2 more than red S, but blue M 4 more than blue S
        EbayListing listing = withVariations("SHIRT", null,
                variation("R-S", "10.00", 1, 0, "Color", "Red", "Size", "S"),
                variation("R-M", "12.00", 1, 0, "Color", "Red", "Size", "M"),
                variation("B-S", "15.00", 1, 0, "Color", "Blue", "Size", "S"),
                variation("B-M", "19.00", 1, 0, "Color", "Blue", "Size", "M"));
        PermanentFailure refused = assertThrows(PermanentFailure.class, () -> mapper.toProductUpsert(listing));
        assertTrue(refused.getMessage().contains("not one price plus a surcharge per value"), refused.getMessage());
    }

    @Test
    void variationsWithoutPriceOrSkuTakeTheListingsPriceAndASkuFromTheirValues() {
        ProductUpsert product = mapper.toProductUpsert(withVariations(null, "15.00",
                variation(null, null, 2, 0, "Color", "Red"),
                variation("SHIRT-BLUE", "18.00", 1, 0, "Color", "Blue")));

        assertEquals("ebay-220022", product.sku());
        assertEquals(List.of("ebay-220022-Red", "SHIRT-BLUE"), product.variants().stream().map(ProductUpsert.Variant::sku).toList());
        assertFalse(product.variants().get(0).skuFromChannel(), "a derived SKU is not one eBay sells");
        assertEquals(new BigDecimal("15.00"), product.variants().get(0).price(), "the listing's price");
        assertEquals(new BigDecimal("15.00"), product.price());
        assertEquals(0, extras(product, "Color").get("Blue").compareTo(new BigDecimal("3.00")));
    }

    @Test
    void unpricedVariationsCarryNoExtras() {
        ProductUpsert product = mapper.toProductUpsert(withVariations("SHIRT", null,
                variation("R", null, 1, 0, "Color", "Red"), variation("B", null, 1, 0, "Color", "Blue")));
        assertNull(product.price());
        assertTrue(extras(product, "Color").values().stream().allMatch(java.util.Objects::isNull), "extras are left as Odoo has them");
    }

    @Test
    void variationsOdooCannotTellApartAreRefused() {
        assertTrue(assertThrows(PermanentFailure.class, () -> mapper.toProductUpsert(withVariations("SHIRT", "1",
                variation("R", "1", 1, 0, "Color", "Red"), variation("X", "1", 1, 0))))
                .getMessage().contains("variation X names no specifics"));
        assertTrue(assertThrows(PermanentFailure.class, () -> mapper.toProductUpsert(withVariations("SHIRT", "1",
                variation("R", "1", 1, 0, "Color", "Red"), variation("R", "1", 1, 0, "Color", "Blue"))))
                .getMessage().contains("names SKU R for two variations"));
        assertTrue(assertThrows(PermanentFailure.class, () -> mapper.toProductUpsert(withVariations("SHIRT", "1",
                variation("R-S", "1", 1, 0, "Color", "Red", "Size", "S"), variation("B", "1", 1, 0, "Color", "Blue"))))
                .getMessage().contains("variation B does not name [Size]"));
    }

    /**
     * A markdown sale lowers SellingStatus.CurrentPrice and a strike-through price adds
     * DiscountPriceInfo.OriginalRetailPrice; the seller's own StartPrice stays Odoo's price, so a
     * temporary discount is never pushed back to eBay as the new price.
     */
    @Test
    void aDiscountedListingKeepsTheSellersStartPriceNotTheSaleOrStrikeThroughPrice() {
        ProductUpsert product = mapper.toProductUpsert(notified("""
                <StartPrice currencyID="USD">80.00</StartPrice>
                <DiscountPriceInfo><OriginalRetailPrice currencyID="USD">120.00</OriginalRetailPrice>
                  <PricingTreatment>STP</PricingTreatment></DiscountPriceInfo>
                <SellingStatus><CurrentPrice currencyID="USD">64.00</CurrentPrice><QuantitySold>1</QuantitySold>
                  <PromotionalSaleDetails><OriginalPrice currencyID="USD">80.00</OriginalPrice></PromotionalSaleDetails>
                </SellingStatus>"""));

        assertEquals(new BigDecimal("80.00"), product.price());
        assertEquals(3, product.onHand());
    }

    @Test
    void aListingWithoutStartPriceTakesItsCurrentPrice() {
        ProductUpsert product = mapper.toProductUpsert(notified("""
                <SellingStatus><CurrentPrice currencyID="EUR">31.50</CurrentPrice><QuantitySold>0</QuantitySold></SellingStatus>"""));

        assertEquals(new BigDecimal("31.50"), product.price());
        assertEquals("EUR", product.currency(), "kept as eBay states it, never converted");
    }

    /** An ItemRevised Platform Notification of a four-piece listing, its price elements as given. */
    private static EbayListing notified(String priceElements) {
        String soap = """
                <?xml version="1.0" encoding="UTF-8"?>
                <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
                 <soapenv:Body>
                  <GetItemResponse xmlns="urn:ebay:apis:eBLBaseComponents">
                   <Timestamp>2026-03-01T10:00:00.000Z</Timestamp>
                   <NotificationEventName>ItemRevised</NotificationEventName>
                   <Item>
                    <ItemID>330033</ItemID><SKU>LAMP-1</SKU><Title>Desk lamp</Title><Quantity>4</Quantity>
                    %s
                    <PrimaryCategory><CategoryID>20697</CategoryID><CategoryName>Home:Lamps</CategoryName></PrimaryCategory>
                   </Item>
                  </GetItemResponse>
                 </soapenv:Body>
                </soapenv:Envelope>
                """.formatted(priceElements);
        PlatformNotificationParser.Notification notification = new PlatformNotificationParser().parse(soap.getBytes(StandardCharsets.UTF_8));
        return EbayPlatformNotifications.listing("ItemRevised", AT, notification.response().item);
    }
}

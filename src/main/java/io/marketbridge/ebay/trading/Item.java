package io.marketbridge.ebay.trading;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;

import java.util.List;

@RegisterForReflection
@XmlType(name = "Item")
public class Item {
    @XmlElement(name = "ItemID")
    public String itemId;
    @XmlElement(name = "SKU")
    public String sku;
    @XmlElement(name = "Title")
    public String title;
    @XmlElement(name = "Description")
    public String description;
    @XmlElement(name = "Quantity")
    public Integer quantity;
    @XmlElement(name = "StartPrice")
    public Amount startPrice;
    @XmlElement(name = "ListingType")
    public String listingType;
    @XmlElement(name = "SellingStatus")
    public SellingStatus sellingStatus;
    @XmlElement(name = "PrimaryCategory")
    public Category primaryCategory;
    @XmlElement(name = "ProductListingDetails")
    public ProductListingDetails productListingDetails;
    @XmlElement(name = "PictureDetails")
    public PictureDetails pictureDetails;
    @XmlElement(name = "Variations")
    public Variations variations;

    @XmlType(name = "SellingStatus")
    public static class SellingStatus {
        @XmlElement(name = "QuantitySold")
        public Integer quantitySold;
        @XmlElement(name = "CurrentPrice")
        public Amount currentPrice;
        @XmlElement(name = "ListingStatus")
        public String listingStatus;
    }

    @XmlType(name = "Category")
    public static class Category {
        @XmlElement(name = "CategoryID")
        public String categoryId;
        @XmlElement(name = "CategoryName")
        public String categoryName;
    }

    @XmlType(name = "ProductListingDetails")
    public static class ProductListingDetails {
        @XmlElement(name = "EAN")
        public String ean;
        @XmlElement(name = "UPC")
        public String upc;
    }

    @XmlType(name = "PictureDetails")
    public static class PictureDetails {
        @XmlElement(name = "PictureURL")
        public List<String> pictureUrls;
    }

    @XmlType(name = "Variations")
    public static class Variations {
        @XmlElement(name = "Variation")
        public List<Variation> variations;
    }

    @XmlType(name = "Variation")
    public static class Variation {
        @XmlElement(name = "SKU")
        public String sku;
        @XmlElement(name = "StartPrice")
        public Amount startPrice;
        @XmlElement(name = "Quantity")
        public Integer quantity;
        @XmlElement(name = "SellingStatus")
        public SellingStatus sellingStatus;
        @XmlElement(name = "VariationSpecifics")
        public VariationSpecifics variationSpecifics;
    }

    /** The name/value pairs that tell one variation from the others ("Color" = "Red"). */
    @XmlType(name = "VariationSpecifics")
    public static class VariationSpecifics {
        @XmlElement(name = "NameValueList")
        public List<NameValueList> nameValueLists;
    }

    @XmlType(name = "NameValueList")
    public static class NameValueList {
        @XmlElement(name = "Name")
        public String name;
        @XmlElement(name = "Value")
        public List<String> values;
    }
}

package io.marketbridge.ebay.trading;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;

@RegisterForReflection
@XmlType(name = "Transaction")
public class Transaction {
    @XmlElement(name = "TransactionID")
    public String transactionId;
    @XmlElement(name = "QuantityPurchased")
    public Integer quantityPurchased;
    @XmlElement(name = "ContainingOrder")
    public ContainingOrder containingOrder;

    @XmlType(name = "ContainingOrder")
    public static class ContainingOrder {
        @XmlElement(name = "OrderID")
        public String orderId;
    }
}

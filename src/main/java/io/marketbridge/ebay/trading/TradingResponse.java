package io.marketbridge.ebay.trading;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlElementWrapper;
import jakarta.xml.bind.annotation.XmlType;

import java.util.List;

/** GetItemResponse or GetItemTransactionsResponse, the body of a Platform Notification. */
@RegisterForReflection
@XmlType(name = "TradingResponse")
public class TradingResponse {
    @XmlElement(name = "Timestamp")
    public String timestamp;
    @XmlElement(name = "Ack")
    public String ack;
    @XmlElement(name = "CorrelationID")
    public String correlationId;
    @XmlElement(name = "NotificationEventName")
    public String notificationEventName;
    @XmlElement(name = "RecipientUserID")
    public String recipientUserId;
    @XmlElement(name = "Item")
    public Item item;
    @XmlElementWrapper(name = "TransactionArray")
    @XmlElement(name = "Transaction")
    public List<Transaction> transactions;
}

package io.marketbridge.ebay.trading;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlType;
import jakarta.xml.bind.annotation.XmlValue;

import java.math.BigDecimal;

/** {@code <StartPrice currencyID="USD">19.99</StartPrice>} */
@XmlType(name = "Amount")
public class Amount {
    @XmlValue
    public BigDecimal value;
    @XmlAttribute(name = "currencyID")
    public String currency;
}

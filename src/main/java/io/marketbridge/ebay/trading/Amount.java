package io.marketbridge.ebay.trading;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlType;
import jakarta.xml.bind.annotation.XmlValue;

import java.math.BigDecimal;

/** {@code <StartPrice currencyID="USD">19.99</StartPrice>} */
@RegisterForReflection
@XmlType(name = "Amount")
public class Amount {
    @XmlValue
    public BigDecimal value;
    @XmlAttribute(name = "currencyID")
    public String currency;
}

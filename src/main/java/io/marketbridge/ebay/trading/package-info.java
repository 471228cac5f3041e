/**
 * The subset of eBay Trading API responses that Platform Notifications carry and we read. Each class
 * is registered for reflection (with its nested ones): a native image shows JAXB no other.
 */
@XmlSchema(namespace = "urn:ebay:apis:eBLBaseComponents", elementFormDefault = XmlNsForm.QUALIFIED)
@XmlAccessorType(XmlAccessType.FIELD)
package io.marketbridge.ebay.trading;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlNsForm;
import jakarta.xml.bind.annotation.XmlSchema;

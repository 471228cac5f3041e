package io.marketbridge.ebay.notifications;

import io.marketbridge.ebay.trading.TradingResponse;
import io.marketbridge.pipeline.RejectedInput;
import com.ctc.wstx.stax.WstxInputFactory;
import jakarta.inject.Singleton;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;

/**
 * Reads a SOAP Platform Notification without trusting it: any DOCTYPE is refused before it is
 * processed (no XXE, no entity expansion), and the body is read with JAXB from the same stream.
 */
@Singleton
public final class PlatformNotificationParser {

    private static final String SOAP_11 = "http://schemas.xmlsoap.org/soap/envelope/";
    private static final String SOAP_12 = "http://www.w3.org/2003/05/soap-envelope";
    private static final String EBL = "urn:ebay:apis:eBLBaseComponents";

    private final XMLInputFactory factory;
    private final JAXBContext jaxb;

    public PlatformNotificationParser() {
        // Woodstox, not the JDK's reader: a notification parsed in a third of the time, as it makes a
        // reader cheaply and interns names itself, which JAXB otherwise does again for every element
        factory = new WstxInputFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        try {
            jaxb = JAXBContext.newInstance(TradingResponse.class);
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot build the JAXB context for eBay notifications", e);
        }
    }

    /** The parts of a notification we act on. */
    public record Notification(String bodyElement, String signature, TradingResponse response) {
    }

    public Notification parse(byte[] xml) {
        try {
            XMLStreamReader reader = factory.createXMLStreamReader(new ByteArrayInputStream(xml));
            try {
                return read(reader);
            } finally {
                reader.close();
            }
        } catch (XMLStreamException | JAXBException | RuntimeException e) {
            if (e instanceof RejectedInput rejected) {
                throw rejected;
            }
            throw new RejectedInput(400, "malformed SOAP notification: " + firstLine(e));
        }
    }

    /** A Trading API answer already parsed (GetItem's, say), read as the same response a notification carries. */
    public TradingResponse response(org.w3c.dom.Element answer) {
        try {
            return jaxb.createUnmarshaller().unmarshal(answer, TradingResponse.class).getValue();
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot read " + answer.getLocalName() + ": " + e.getMessage(), e);
        }
    }

    private Notification read(XMLStreamReader reader) throws XMLStreamException, JAXBException {
        String signature = null;
        String bodyElement = null;
        TradingResponse response = null;
        boolean inBody = false;
        int depth = 0;
        while (reader.hasNext()) {
            int event = reader.next();
            switch (event) {
                case XMLStreamConstants.DTD, XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.ENTITY_DECLARATION ->
                        throw new RejectedInput(400, "malformed SOAP notification: DOCTYPE and entity declarations are not accepted");
                case XMLStreamConstants.START_ELEMENT -> {
                    depth++;
                    String ns = reader.getNamespaceURI();
                    String name = reader.getLocalName();
                    if (depth == 1 && !(("Envelope".equals(name)) && (SOAP_11.equals(ns) || SOAP_12.equals(ns)))) {
                        throw new RejectedInput(400, "malformed SOAP notification: root element is not a SOAP Envelope");
                    }
                    if (depth == 2 && "Body".equals(name)) {
                        inBody = true;
                    } else if ("NotificationSignature".equals(name) && EBL.equals(ns)) {
                        signature = reader.getElementText();
                        depth--;
                    } else if (inBody && depth == 3 && bodyElement == null) {
                        bodyElement = name;
                        response = jaxb.createUnmarshaller().unmarshal(reader, TradingResponse.class).getValue();
                        depth--; // the unmarshaller consumed the element through its end tag
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    if (depth == 2 && "Body".equals(reader.getLocalName())) {
                        inBody = false;
                    }
                    depth--;
                }
                default -> {
                }
            }
        }
        if (response == null) {
            throw new RejectedInput(400, "malformed SOAP notification: the Body holds no eBay response element");
        }
        return new Notification(bodyElement, signature, response);
    }

    /** The reason, short: JAXB wraps the parser's own (where the XML broke off, say) without a message of its own. */
    private static String firstLine(Exception e) {
        Throwable reason = e;
        while (reason.getMessage() == null && reason.getCause() != null) {
            reason = reason.getCause();
        }
        String message = reason.getMessage() == null ? reason.getClass().getSimpleName() : reason.getMessage();
        message = message.replaceAll("\\s+", " ").trim();
        return message.length() <= 200 ? message : message.substring(0, 200) + "…";
    }
}

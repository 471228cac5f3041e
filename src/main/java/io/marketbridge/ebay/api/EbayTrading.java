package io.marketbridge.ebay.api;

import io.marketbridge.ebay.EbayConfig;
import io.marketbridge.ebay.account.EbayTokens;
import io.marketbridge.pipeline.PeerHttp;
import io.marketbridge.pipeline.PermanentFailure;
import jakarta.inject.Singleton;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * eBay's Trading API (XML over {@code POST {api}/ws/api.dll}) as the seller, with the OAuth user token in
 * {@code X-EBAY-API-IAF-TOKEN}. eBay answers HTTP 200 even when the call failed: {@code Ack} says (Success,
 * Warning, PartialFailure, Failure) and {@code Errors/LongMessage} says why.
 */
@Singleton
public class EbayTrading {

    public static final String NAMESPACE = "urn:ebay:apis:eBLBaseComponents";
    /** The schema version our request bodies are written against. */
    private static final String COMPATIBILITY_LEVEL = "1349";
    /** Notification preferences and GetUser do not depend on the site; 0 is eBay US. */
    private static final String SITE_ID = "0";

    /** A successful answer: the document, and eBay's warnings if any. */
    public record Answer(Document document, List<String> warnings) {
        /** Text of the first element with this local name, if any. */
        public Optional<String> text(String localName) {
            return EbayTrading.text(document, localName);
        }
    }

    /**
     * One of eBay's {@code Errors}: its code, severity (Error or Warning), classification (RequestError or
     * SystemError), message, and the values of its {@code ErrorParameters} (which often name the item concerned).
     */
    public record Error(String code, String severity, String classification, String message, List<String> parameters) {
        public boolean warning() {
            return "Warning".equals(severity);
        }

        /** "code message", as logged and shown in dead letters. */
        public String describe() {
            return (code == null ? "" : code + " ") + message;
        }
    }

    /** Any answer eBay gave with HTTP 200, Failure included: its Ack and every error and warning. */
    public record Reply(Document document, String ack, List<Error> errors) {
        public boolean failed() {
            return !ack.equals("Success") && !ack.equals("Warning");
        }
    }

    private final EbayTokens tokens;
    private final PeerHttp http;
    private final URI endpoint;

    EbayTrading(EbayTokens tokens, PeerHttp http, EbayConfig config) {
        this.tokens = tokens;
        this.http = http;
        this.endpoint = URI.create(config.apiUrl().orElse(config.environment().apiUrl).toString().replaceAll("/$", "")
                + "/ws/api.dll");
    }

    /** Calls {@code callName} with the inner XML of its request element; an Ack of Failure is a {@link PermanentFailure}. */
    public Answer call(String callName, String requestContent) {
        Reply reply = exchange(callName, requestContent);
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Error error : reply.errors()) {
            (error.warning() ? warnings : errors).add(error.describe());
        }
        if (reply.failed()) {
            throw new PermanentFailure(EbayTokens.PEER, callName + " failed (Ack " + (reply.ack().isEmpty() ? "missing" : reply.ack()) + "): "
                    + (errors.isEmpty() ? "no error details" : String.join("; ", errors)));
        }
        return new Answer(reply.document(), warnings);
    }

    /**
     * Calls {@code callName} and returns eBay's answer whatever its Ack, for calls whose errors concern single
     * items of the request (ReviseInventoryStatus). HTTP failures are thrown as {@link PeerHttp} classifies them.
     */
    public Reply exchange(String callName, String requestContent) {
        String body = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<" + callName + "Request xmlns=\"" + NAMESPACE + "\">"
                + requestContent + "</" + callName + "Request>";
        HttpResponse<byte[]> response = http.send(EbayTokens.PEER, HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("X-EBAY-API-CALL-NAME", callName)
                .header("X-EBAY-API-SITEID", SITE_ID)
                .header("X-EBAY-API-COMPATIBILITY-LEVEL", COMPATIBILITY_LEVEL)
                .header("X-EBAY-API-IAF-TOKEN", tokens.userToken())
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
        PeerHttp.requireSuccess(EbayTokens.PEER, response, callName);
        Document document = parse(callName, response.body());
        List<Error> errors = new ArrayList<>();
        NodeList errorNodes = document.getElementsByTagNameNS(NAMESPACE, "Errors");
        for (int i = 0; i < errorNodes.getLength(); i++) {
            Element error = (Element) errorNodes.item(i);
            List<String> parameters = new ArrayList<>();
            NodeList values = error.getElementsByTagNameNS(NAMESPACE, "ErrorParameters");
            for (int v = 0; v < values.getLength(); v++) {
                child((Element) values.item(v), "Value").ifPresent(parameters::add);
            }
            errors.add(new Error(child(error, "ErrorCode").orElse(null), child(error, "SeverityCode").orElse("Error"),
                    child(error, "ErrorClassification").orElse("RequestError"),
                    child(error, "LongMessage").or(() -> child(error, "ShortMessage")).orElse("no message"), List.copyOf(parameters)));
        }
        return new Reply(document, text(document, "Ack").orElse(""), List.copyOf(errors));
    }

    /** XML text content, escaped. */
    public static String escape(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** eBay's answer, read without DTDs or external entities. */
    private static Document parse(String callName, byte[] xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new PermanentFailure(EbayTokens.PEER, callName + " answered unreadable XML: " + e.getMessage());
        }
    }

    private static Optional<String> text(Document document, String localName) {
        NodeList nodes = document.getElementsByTagNameNS(NAMESPACE, localName);
        return nodes.getLength() == 0 ? Optional.empty() : Optional.of(nodes.item(0).getTextContent().trim());
    }

    /** Text of the first descendant of {@code parent} with this local name, if any. */
    public static Optional<String> child(Element parent, String localName) {
        NodeList nodes = parent.getElementsByTagNameNS(NAMESPACE, localName);
        return nodes.getLength() == 0 ? Optional.empty() : Optional.of(nodes.item(0).getTextContent().trim());
    }
}

package io.marketbridge.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.io.IOException;
import java.io.InputStream;

/** Bad input at the door: answered with {@link #getStatus()} and the message, and never stored. */
public class RejectedInput extends RuntimeException {

    private final int status;

    public RejectedInput(int status, String message) {
        super(message);
        this.status = status;
    }

    /** A webhook's body as JSON (null when empty); malformed JSON is a 400 naming the parser's first complaint. */
    public static JsonNode jsonBody(ObjectMapper json, Exchange exchange) {
        try {
            byte[] raw = rawBody(exchange);
            return json.readTree(raw == null ? new byte[0] : raw);
        } catch (IOException e) {
            throw new RejectedInput(400, "malformed JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /**
     * A webhook's body as sent (null when none), for signatures and parsers. Read from the stream Camel
     * caches it in, not through Camel's byte[] converter, which buffers and copies it three times over:
     * 40 % of all a Platform Notification allocated (JFR, under load).
     */
    public static byte[] rawBody(Exchange exchange) {
        Message message = exchange.getMessage();
        if (message.getBody() instanceof byte[] bytes) {
            return bytes;
        }
        try (InputStream in = message.getBody(InputStream.class)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new RejectedInput(400, "unreadable body: " + e.getMessage());
        }
    }

    public int getStatus() {
        return status;
    }

    /** The answer's body: {@code {"status":400,"error":"..."}}. */
    public String getJson() {
        StringBuilder json = new StringBuilder("{\"status\":").append(status).append(",\"error\":\"");
        for (char ch : getMessage().toCharArray()) {
            switch (ch) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                default -> {
                    if (ch < 0x20) {
                        json.append(String.format("\\u%04x", (int) ch));
                    } else {
                        json.append(ch);
                    }
                }
            }
        }
        return json.append("\"}").toString();
    }
}

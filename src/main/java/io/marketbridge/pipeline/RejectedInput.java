package io.marketbridge.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;

import java.io.IOException;

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
            byte[] raw = exchange.getMessage().getBody(byte[].class);
            return json.readTree(raw == null ? new byte[0] : raw);
        } catch (IOException e) {
            throw new RejectedInput(400, "malformed JSON: " + e.getMessage().lines().findFirst().orElse(""));
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

package io.marketbridge.pipeline;

/** Bad input at the door: answered with {@link #status()} and the message, and never stored. */
public class RejectedInput extends RuntimeException {

    private final int status;

    public RejectedInput(int status, String message) {
        super(message);
        this.status = status;
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

package io.marketbridge.cartona;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.config.RequiredSettings;
import io.marketbridge.pipeline.PeerHttp;
import io.marketbridge.pipeline.PermanentFailure;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Cartona's supplier-integrations API as each supplier account reaches it: paths relative to {@code
 * marketbridge.cartona.url}, the account's token in the configured header, JSON both ways, and failures classified
 * (401/403 permanent with what to check, 408/429/5xx transient with Retry-After, other 4xx permanent with Cartona's
 * text). Cartona documents no error body (UNCONFIRMED): its text is read from {@code message}, {@code error} or
 * {@code errors}, else the body itself.
 */
@Singleton
public class CartonaApi {

    static final String PEER = "cartona";
    private static final int MAX_ERROR_TEXT = 500;

    private final CartonaConfig settings;
    private final PeerHttp http;
    private final ObjectMapper json;
    private final URI base;
    private final List<CartonaAccount> accounts = new ArrayList<>();

    CartonaApi(CartonaConfig config, PeerHttp http, ObjectMapper json, RequiredSettings required) {
        this.settings = config;
        this.http = http;
        this.json = json;
        if (settings.enabled()) {
            required.verify();
            // the base is a directory: relative paths go under it, with or without its trailing slash
            this.base = URI.create(settings.url().orElseThrow().toString().replaceAll("/*$", "/"));
            accounts.add(new CartonaAccount(settings.accountName(), settings.token().orElseThrow(), settings.webhookSecret()));
            new TreeMap<>(settings.accounts()).forEach((name, account) -> accounts.add(new CartonaAccount(name, account.token(), account.webhookSecret())));
        } else {
            this.base = null;
        }
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /** Every supplier account, the main one ({@code marketbridge.cartona.token}) first; none when Cartona is off. */
    public List<CartonaAccount> accounts() {
        return List.copyOf(accounts);
    }

    /** The account the catalog is pushed with. */
    public CartonaAccount mainAccount() {
        requireEnabled();
        return accounts.get(0);
    }

    /** The account of that name; a name no setting gives is a permanent failure (an event stored for a removed account). */
    public CartonaAccount account(String name) {
        return accounts.stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow(() -> new PermanentFailure(PEER,
                "no Cartona account '" + name + "' is configured (marketbridge.cartona.account-name or marketbridge.cartona.accounts."
                        + name + ".token)"));
    }

    /** GET {@code path} (relative, with its query); the answer's JSON, null when empty. */
    public JsonNode get(CartonaAccount account, String path, String what) {
        return answer(http.send(PEER, request(account, path).GET().build()), account, what);
    }

    /** POST the body as JSON to {@code path} (relative); the answer's JSON, null when empty or not JSON. */
    public JsonNode post(CartonaAccount account, String path, Object body, String what) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the body of a Cartona " + what, e);
        }
        return answer(http.send(PEER, request(account, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build()), account, what);
    }

    private HttpRequest.Builder request(CartonaAccount account, String path) {
        requireEnabled();
        return HttpRequest.newBuilder(base.resolve(path.replaceAll("^/+", ""))).timeout(settings.timeout())
                .header(settings.authHeader(), account.token())
                .header("Accept", "application/json");
    }

    private JsonNode answer(HttpResponse<byte[]> response, CartonaAccount account, String what) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return parse(response.body());
        }
        String text = errorText(response.body());
        if (status == 401 || status == 403) {
            throw new PermanentFailure(PEER, "HTTP " + status + " on " + what + ": Cartona refused the token of " + account + "; check "
                    + (account.name().equals(settings.accountName()) ? "marketbridge.cartona.token (MARKETBRIDGE_CARTONA_TOKEN)"
                            : "marketbridge.cartona.accounts." + account.name() + ".token")
                    + " and the header it is sent in, marketbridge.cartona.auth-header (" + settings.authHeader() + ")"
                    + (text.isEmpty() ? "" : ". Cartona said: " + text));
        }
        throw PeerHttp.failure(PEER, status, PeerHttp.retryAfter(response).orElse(null), what + (text.isEmpty() ? "" : ": " + text));
    }

    /** Cartona's error text: a JSON {@code message}/{@code error}/{@code errors}, or the body as text, shortened. */
    private String errorText(byte[] body) {
        JsonNode parsed = parse(body);
        String text = "";
        if (parsed != null && parsed.isObject()) {
            for (String field : List.of("message", "error", "errors")) {
                text = CartonaBulkUpdateAnswer.text(parsed.get(field));
                if (!text.isEmpty()) {
                    break;
                }
            }
        }
        if (text.isEmpty()) {
            text = new String(body, StandardCharsets.UTF_8).strip();
        }
        return text.length() > MAX_ERROR_TEXT ? text.substring(0, MAX_ERROR_TEXT) + "..." : text;
    }

    /** The body as JSON, or null when it is empty or not JSON (Cartona's answers are undocumented). */
    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }

    private void requireEnabled() {
        if (!settings.enabled()) {
            throw new PermanentFailure(PEER, "Cartona is not enabled (marketbridge.cartona.enabled)");
        }
    }
}

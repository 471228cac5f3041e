package io.marketbridge.admin;

import io.marketbridge.testsupport.Commands;
import io.marketbridge.testsupport.Sandbox;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.HasAuthentication;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.UsernameAndPassword;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.marketbridge.testsupport.Sandbox.deliver;
import static io.marketbridge.testsupport.Sandbox.list;
import static io.marketbridge.testsupport.Sandbox.newSku;
import static io.marketbridge.testsupport.Sandbox.odooFault;
import static io.marketbridge.testsupport.Sandbox.productsBySku;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator page in a real browser (Debian's headless Chromium, installed by src/test/browser):
 * it asks for the admin login, shows a dead letter that a refused Odoo write left and replays or
 * discards it, and runs a channel's dry run and shows its plan.
 */
@QuarkusTest
class OperatorPageTest {

    private static WebDriver browser;

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void openBrowser() throws Exception {
        Commands.run(Path.of("."), "bash", "src/test/browser/install-chromium.sh");
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium");
        // headless, and quiet: this machine's network is closed, and Chromium's own calls home would fail
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1800", "--user-data-dir=" + Files.createTempDirectory("chromium"));
        browser = new ChromeDriver(driver, options);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @AfterEach
    void clearFaults() {
        Sandbox.clearOdooFaults();
    }

    /** The page, its login answered (as a person would in the browser's dialog) or refused. */
    private String page(boolean loggedIn) {
        ((HasAuthentication) browser).register(loggedIn ? UsernameAndPassword.of(Sandbox.ADMIN, Sandbox.ADMIN_PASSWORD)
                : UsernameAndPassword.of(Sandbox.ADMIN, "not-the-password"));
        return root.toString() + "admin/";
    }

    private WebDriverWait waitUpTo(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    /** The text of the dead letter's row, or null while the page shows none for this listing. */
    private String deadLetterRow(String itemId) {
        return browser.findElements(By.cssSelector("#dead-letter-rows tr")).stream().map(WebElement::getText)
                .filter(text -> text.contains(itemId)).findFirst().orElse(null);
    }

    /** Clicks a button in the dead letter's row (the page may redraw the table meanwhile: then again). */
    private void clickInRow(String itemId, String label) {
        waitUpTo(10).ignoring(StaleElementReferenceException.class).until(d -> {
            for (WebElement row : d.findElements(By.cssSelector("#dead-letter-rows tr"))) {
                if (row.getText().contains(itemId)) {
                    row.findElement(By.xpath(".//button[text()='" + label + "']")).click();
                    return true;
                }
            }
            return false;
        });
    }

    private String refusedListing(String sku) {
        JsonPath listed = list(Map.of("sku", sku, "title", "Operator page " + sku, "price", "12.00", "quantity", 2));
        odooFault(Map.of("model", "product.template", "method", "create", "match", sku, "error", "odoo.exceptions.AccessError",
                "message", "You are not allowed to create products"));
        deliver(listed.getString("notification")).then().statusCode(200);
        return listed.getString("itemId");
    }

    @Test
    void theLandingPageLinksToThePageHawtioHealthAndMetrics() {
        browser.get(root.toString());
        List<String> links = browser.findElements(By.tagName("a")).stream().map(a -> a.getAttribute("href")).toList();
        for (String target : List.of("/admin/", "/hawtio/", "/q/health", "/q/metrics")) {
            assertTrue(links.stream().anyMatch(l -> l.endsWith(target)), target + " in " + links);
        }
    }

    @Test
    void theOperatorReplaysAndDiscardsDeadLettersFromThePage() throws Exception {
        browser.get(page(false));
        assertFalse(browser.getPageSource().contains("Dead letters"), "the page needs the admin login");

        browser.get(page(true));
        waitUpTo(10).until(ExpectedConditions.textMatches(By.id("refreshed"), java.util.regex.Pattern.compile("as of")));

        String replayedSku = newSku();
        String replayed = refusedListing(replayedSku);
        String discarded = refusedListing(newSku());
        waitUpTo(20).ignoring(StaleElementReferenceException.class)
                .until(d -> deadLetterRow(replayed) != null && deadLetterRow(discarded) != null);
        assertTrue(deadLetterRow(replayed).contains("not allowed to create products"));
        screenshot("operator-page");

        clickInRow(replayed, "Payload");
        waitUpTo(10).until(ExpectedConditions.textMatches(By.id("payload-text"), java.util.regex.Pattern.compile(replayedSku)));
        assertTrue(browser.findElement(By.id("payload-title")).getText().contains("personal data masked"));

        Sandbox.clearOdooFaults();
        clickInRow(replayed, "Replay");
        waitUpTo(10).ignoring(StaleElementReferenceException.class).until(d -> deadLetterRow(replayed) == null);
        await().atMost(Duration.ofSeconds(10)).until(() -> productsBySku(replayedSku).size() == 1);

        clickInRow(discarded, "Discard");
        waitUpTo(5).until(ExpectedConditions.alertIsPresent()).accept();
        waitUpTo(10).ignoring(StaleElementReferenceException.class).until(d -> deadLetterRow(discarded) == null);
        List<Map<String, Object>> all = Sandbox.admin("/dead-letters?open=false").getList("$");
        assertTrue(all.stream().anyMatch(l -> String.valueOf(l.get("eventKey")).contains(":" + discarded + ":")
                && l.get("discardedAt") != null), "discarded, not replayed");
    }

    @Test
    void aDryRunFromThePageShowsItsPlan() throws Exception {
        // a product in Odoo that Cartona does not carry yet: the dry run plans to create it
        String sku = newSku();
        deliver(list(Map.of("sku", sku, "title", "Planned " + sku, "price", "7.50", "quantity", 4))
                .getString("notification")).then().statusCode(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> productsBySku(sku).size() == 1);

        browser.get(page(true));
        By cartona = By.cssSelector("#channel-rows tr[data-channel='cartona']");
        waitUpTo(10).ignoring(StaleElementReferenceException.class)
                .until(d -> !d.findElements(cartona).isEmpty() && !d.findElement(cartona).findElements(By.tagName("button")).isEmpty());
        waitUpTo(10).ignoring(StaleElementReferenceException.class).until(d -> {
            d.findElement(cartona).findElement(By.xpath(".//button[text()='Dry run']")).click();
            return true;
        });
        waitUpTo(60).until(ExpectedConditions.textMatches(By.id("plan-title"),
                java.util.regex.Pattern.compile("Dry run of cartona: DONE")));
        assertTrue(browser.findElement(By.id("plan")).isDisplayed());
        String plan = browser.findElement(By.id("plan-rows")).getText();
        assertTrue(plan.contains(sku) && plan.contains("CREATE"), "the plan creates the new product: " + plan);
        assertTrue(Sandbox.admin("/sync/cartona").getBoolean("dryRun"));
        screenshot("operator-page-dry-run");
    }

    @Test
    void theFiguresThePageShowsAreTheAdminApisAtThatMoment() {
        refusedListing(newSku()); // one open dead letter at least
        await().atMost(Duration.ofSeconds(15)).until(() -> Sandbox.admin("/status").getLong("deadLetters.open") > 0);
        Sandbox.awaitIdle();
        browser.get(page(true));
        waitUpTo(10).until(ExpectedConditions.textMatches(By.id("refreshed"), java.util.regex.Pattern.compile("as of")));

        // the page drawn from a read made between two reads of the API: what did not change between
        // those two must be on the page as the API gives it
        waitUpTo(30).ignoring(StaleElementReferenceException.class).until(d -> {
            JsonPath before = Sandbox.admin("/status");
            for (int redraw = 0; redraw < 2; redraw++) { // the second one surely read after "before"
                String drawn = String.valueOf(shownNow().get("refreshed"));
                waitUpTo(10).until(x -> !drawn.equals(shownNow().get("refreshed")));
            }
            Map<String, Object> page = shownNow();
            @SuppressWarnings("unchecked")
            Map<String, String> shown = (Map<String, String>) page.get("figures");
            @SuppressWarnings("unchecked")
            List<String> shownLetters = (List<String>) page.get("letters");
            @SuppressWarnings("unchecked")
            Map<String, String> shownFlows = (Map<String, String>) page.get("flows");
            String refreshed = String.valueOf(page.get("refreshed"));
            JsonPath after = Sandbox.admin("/status");
            List<Map<String, Object>> letters = Sandbox.admin("/dead-letters?limit=200").getList("$");
            if (!refreshed.equals(shownNow().get("refreshed")) || !apiFigures(before).equals(apiFigures(after))) {
                return false; // the page or the service moved meanwhile: read again
            }
            assertEquals(apiFigures(after), new java.util.TreeMap<>(shown));
            assertEquals(letters.stream().map(l -> String.valueOf(l.get("id"))).toList(), shownLetters);
            List<Map<String, Object>> flows = after.getList("flows");
            List<Map<String, Object>> flowsBefore = before.getList("flows");
            for (int i = 0; i < flows.size(); i++) {
                Map<String, Object> flow = flows.get(i);
                String id = String.valueOf(flow.get("id"));
                if (!id.startsWith("admin-") && flow.get("exchanges").equals(flowsBefore.get(i).get("exchanges"))) {
                    assertEquals(flow.get("state") + " " + flow.get("exchanges"), shownFlows.get(id), id);
                }
            }
            return true;
        });
    }

    /** What the page shows now, read in one step (the page may redraw between two reads). */
    @SuppressWarnings("unchecked")
    private Map<String, Object> shownNow() {
        return (Map<String, Object>) ((JavascriptExecutor) browser).executeScript("""
                const text = id => document.getElementById(id).textContent;
                const flows = {};
                for (const row of document.querySelectorAll('#flow-rows tr')) {
                  if (row.cells.length > 2) flows[row.cells[0].textContent] = row.cells[1].textContent + ' ' + row.cells[2].textContent;
                }
                return {
                  refreshed: text('refreshed'),
                  figures: {'inbox-pending': text('inbox-pending'), 'inbox-states': text('inbox-states'), 'inbox-oldest': text('inbox-oldest'),
                            'dead-open': text('dead-open'), 'database': text('database')},
                  letters: [...document.querySelectorAll('#dead-letter-rows tr')].map(r => r.dataset.id).filter(id => id),
                  flows: flows
                };""");
    }

    private static Map<String, String> apiFigures(JsonPath status) {
        Map<String, String> figures = new java.util.TreeMap<>();
        figures.put("inbox-pending", String.valueOf(status.getLong("inbox.due") + status.getLong("inbox.scheduled")
                + status.getLong("inbox.processing")));
        figures.put("inbox-states", "due " + status.getLong("inbox.due") + ", retrying later " + status.getLong("inbox.scheduled")
                + ", processing " + status.getLong("inbox.processing"));
        Object oldest = status.get("inbox.oldestDueSeconds");
        figures.put("inbox-oldest", oldest == null ? "none" : oldest + " s");
        figures.put("dead-open", String.valueOf(status.getLong("deadLetters.open")));
        figures.put("database", status.getString("database"));
        return figures;
    }

    /** Kept in target/screenshots (the README shows copies). */
    private static void screenshot(String name) throws Exception {
        Path to = Path.of("target/screenshots", name + ".png");
        Files.createDirectories(to.getParent());
        Files.copy(((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), to,
                StandardCopyOption.REPLACE_EXISTING);
    }
}

package io.refinery.api.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One signed-in user in their own browser context (own cookies), collecting every console error
 * and uncaught page error so a test can demand there were none.
 */
final class BrowserSession implements AutoCloseable {

    final Page page;
    /** Whether anonymous users can load the sign-in page (see {@link #signIn}). */
    boolean signInPageAvailable;
    private final BrowserContext context;
    private final String baseUrl;
    private final Path screenshots;
    private final List<String> errors = new CopyOnWriteArrayList<>();
    /** Chromium's request events with a millisecond clock ({@link #stamp}), printed when a test fails. */
    private final List<String> network = new CopyOnWriteArrayList<>();

    BrowserSession(Browser browser, String baseUrl, Path screenshots, String username, String password) {
        this.baseUrl = baseUrl;
        this.screenshots = screenshots;
        this.context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1366, 900)
                .setTimezoneId("Europe/Berlin"));
        this.page = context.newPage();
        // Generous: the test machine is shared with other builds (load far above its core count).
        page.setDefaultTimeout(45_000);
        page.onConsoleMessage(message -> {
            if ("error".equals(message.type())) {
                errors.add(message.text() + " @ " + message.location());
            }
        });
        page.onPageError(error -> errors.add("page error: " + error));
        watchTheWire();
        signIn(username, password);
    }

    /**
     * Chromium's own view of each request: when the page asked (with the priority it got), when the headers
     * actually went on the wire, when the body was complete, or why it failed (not an error by itself: closing the
     * live stream on purpose aborts its request). A request asked for but never on the wire is held in the
     * browser; one on the wire but never complete is held by the server.
     */
    private void watchTheWire() {
        var cdp = context.newCDPSession(page);
        cdp.send("Network.enable");
        java.util.Map<String, String> urls = new java.util.concurrent.ConcurrentHashMap<>();
        cdp.on("Network.requestWillBeSent", event -> {
            String id = event.get("requestId").getAsString();
            var request = event.getAsJsonObject("request");
            urls.put(id, request.get("url").getAsString().replace(baseUrl, ""));
            network.add(stamp() + " cdp asked " + urls.get(id) + " [" + request.get("initialPriority").getAsString()
                    + ", " + event.get("type") + ", id " + id + "]");
        });
        // the headers' event may come before the request's own: then only its id is known yet
        java.util.function.Function<com.google.gson.JsonObject, String> url =
                event -> urls.getOrDefault(event.get("requestId").getAsString(), "id " + event.get("requestId").getAsString());
        cdp.on("Network.requestWillBeSentExtraInfo", event -> network.add(stamp() + " cdp on-wire " + url.apply(event)));
        cdp.on("Network.loadingFinished", event -> network.add(stamp() + " cdp done " + url.apply(event)));
        cdp.on("Network.loadingFailed", event -> network.add(stamp() + " cdp failed " + url.apply(event) + " "
                + event.get("errorText")));
    }

    /** Milliseconds modulo 100 s: short, and the same clock as the server's request ledger. */
    static long stamp() {
        return System.currentTimeMillis() % 100_000;
    }

    /**
     * Through the sign-in page, as a person would ("/" sends an anonymous browser there). While the
     * security rules do not let anonymous users load {@code GET /login}, the form is posted directly
     * (same endpoint, same CSRF token) and the test says so.
     */
    private void signIn(String username, String password) {
        var probe = context.request().get(baseUrl + "/login", RequestOptions.create().setMaxRedirects(0));
        signInPageAvailable = probe.status() == 200;
        if (!signInPageAvailable) {
            System.out.println("[e2e] GET /login answers " + probe.status() + " to anonymous users (AccessRules does not"
                    + " permit it): signing in by posting the login form directly");
            String csrf = context.cookies().stream().filter(c -> c.name.equals("XSRF-TOKEN")).findFirst()
                    .map(c -> c.value).orElseThrow();
            var response = context.request().post(baseUrl + "/login", RequestOptions.create().setMaxRedirects(0)
                    .setForm(FormData.create().set("username", username).set("password", password).set("_csrf", csrf)));
            assertThat(response.headers().get("location")).as("redirect after sign-in").doesNotContain("error");
            page.navigate(baseUrl + "/");
            page.waitForSelector("#user:has-text('" + username + "')");
            return;
        }
        page.navigate(baseUrl + "/");
        page.waitForURL("**/login**");
        page.fill("#username", username);
        page.fill("#password", password);
        page.click("button[type=submit]");
        page.waitForURL(url -> !url.contains("/login"));
        page.waitForSelector("#user:has-text('" + username + "')");
    }

    void open(String hash) {
        page.navigate(baseUrl + "/#/" + hash);
    }

    void screenshot(String name) {
        page.waitForTimeout(600); // let the charts' 300 ms entry animation finish
        page.screenshot(new Page.ScreenshotOptions().setPath(screenshots.resolve(name + ".png")).setFullPage(true));
    }

    void printDiagnostics() {
        System.out.println("[e2e] console errors: " + errors);
        System.out.println("[e2e] network:\n  " + String.join("\n  ", network));
    }

    void assertNoConsoleErrors() {
        assertThat(errors).as("browser console errors").isEmpty();
    }

    @Override
    public void close() {
        context.close();
    }
}

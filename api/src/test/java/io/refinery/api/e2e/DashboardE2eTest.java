package io.refinery.api.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.ColorScheme;
import io.refinery.api.RefineryApplication;
import io.refinery.dashboard.DashboardConfiguration;
import io.refinery.ingestion.Ingestion;
import io.refinery.warehouse.accounts.UserAccounts;
import io.refinery.warehouse.test.TestWarehouseInitializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard end to end: the whole app on the embedded warehouse with seeded data, driven by
 * the system Chromium through Playwright (never a downloaded browser). Screenshots of every page
 * land in {@code <build dir>/e2e-screenshots/}. Without {@code /usr/bin/chromium} the tests are
 * skipped, with the reason, rather than failed.
 */
@SpringBootTest(classes = RefineryApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "refinery.demo.enabled=false",
                "refinery.security.admin-password=e2e-first-admin-pw",
                "refinery.api.stream.poll-interval=500ms",
                "refinery.forecasting.schedule=-",
                "refinery.forecasting.data-trigger-interval=1h",
                "refinery.orchestration.forecast.upstream=-",
                "refinery.forecasting.lead-time-poll=2s"})
@ContextConfiguration(initializers = TestWarehouseInitializer.class)
@Import(DashboardE2eTest.Diagnostics.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardE2eTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path BUILD_DIR = buildDirectory();
    private static final Path SCREENSHOTS = BUILD_DIR.resolve("e2e-screenshots");
    private static final Path INBOX_ROOT = BUILD_DIR.resolve("e2e-inbox");

    static {
        // Every request the server answers, with its duration: to tell a slow server from a stalled browser.
        System.setProperty("reactor.netty.http.server.accessLogEnabled", "true");
    }

    @DynamicPropertySource
    static void inbox(DynamicPropertyRegistry registry) {
        registry.add("refinery.ingestion.allowed-roots", INBOX_ROOT::toString);
    }

    @LocalServerPort
    int port;
    @Autowired
    UserAccounts accounts;
    @Autowired
    PasswordEncoder encoder;
    @Autowired
    Ingestion ingestion;
    @Autowired
    ServerRequestLedger requests;

    @TestConfiguration(proxyBeanMethods = false)
    static class Diagnostics {
        @Bean
        ServerRequestLedger serverRequestLedger() {
            return new ServerRequestLedger();
        }
    }

    private Playwright playwright;
    private Browser browser;
    private E2eData data;
    private String baseUrl;

    @BeforeAll
    void startBrowser() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
                "skipped: no system Chromium at " + CHROMIUM + " (apt-get install -y chromium); Playwright must not download one");
        Files.createDirectories(SCREENSHOTS);
        Files.createDirectories(INBOX_ROOT);
        baseUrl = "http://localhost:" + port;
        E2eData.users(accounts, encoder);
        data = new E2eData(ingestion);
        data.seed();
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM).setHeadless(true)
                .setArgs(chromiumArguments()));
    }

    /** With REFINERY_E2E_NETLOG=file, Chromium writes its network log there: which socket carried which request. */
    private static List<String> chromiumArguments() {
        List<String> arguments = new java.util.ArrayList<>(List.of("--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync"));
        String netlog = System.getenv("REFINERY_E2E_NETLOG");
        if (netlog != null && !netlog.isBlank()) {
            arguments.add("--log-net-log=" + netlog);
        }
        return arguments;
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    interface BrowserSteps {
        void run(BrowserSession session) throws Exception;
    }

    /** Signs in as e2e-{role} in a fresh context; on failure keeps a screenshot of the page as it was. */
    private void inBrowser(String role, String test, BrowserSteps steps) throws Exception {
        try (BrowserSession session = new BrowserSession(browser, baseUrl, SCREENSHOTS, "e2e-" + role, E2eData.PASSWORD)) {
            try {
                steps.run(session);
            } catch (Exception | AssertionError e) {
                session.screenshot("FAILED-" + test);
                session.printDiagnostics();
                requests.print();
                throw e;
            }
        }
    }

    @Test
    @Order(1)
    void overviewUpdatesLiveWhileDataFlows() throws Exception {
        inBrowser("viewer", "overviewUpdatesLiveWhileDataFlows", viewer -> {
            Page page = viewer.page;
            // Signing in lands on "/", the overview; the page marks when its first chart is drawn.
            Locator ingested = page.locator("[data-count=received]");
            ingested.waitFor();
            page.waitForFunction("() => performance.getEntriesByName('refinery:first-chart').length > 0");
            double firstChartMs = ((Number) page.evaluate(
                    "() => performance.getEntriesByName('refinery:first-chart')[0].startTime")).doubleValue();
            System.out.printf("[e2e] overview: first chart drawn %.0f ms after navigation start%n", firstChartMs);
            page.waitForSelector("#live[data-state=open]");
            String before = ingested.textContent();

            ScheduledExecutorService feed = Executors.newSingleThreadScheduledExecutor();
            try {
                feed.scheduleAtFixedRate(() -> data.liveSales(5), 0, 400, TimeUnit.MILLISECONDS);
                page.waitForFunction("before => document.querySelector('[data-count=received]').textContent !== before",
                        before, new Page.WaitForFunctionOptions().setTimeout(20_000));
            } finally {
                feed.shutdownNow();
            }
            // Each panel fills from its own request; on a busy machine the pipeline's may come seconds after the chart's.
            var patience = new LocatorAssertions.ContainsTextOptions().setTimeout(30_000);
            PlaywrightAssertions.assertThat(page.locator("#kpi-7 .value"))
                    .containsText(java.util.regex.Pattern.compile("\\d"), patience);
            PlaywrightAssertions.assertThat(page.locator("#freshness")).containsText("e2e-seed-sales-order-lines", patience);
            PlaywrightAssertions.assertThat(page.locator(".tz")).containsText("UTC", patience);
            viewer.screenshot("overview-viewer");

            // One connection per page, closed while the page is hidden and reopened when it is visible again.
            assertThat(liveConnectionOpen(page)).isTrue();
            viewer.open("runs");
            viewer.open("overview");
            page.waitForSelector("#live[data-state=open]");
            setVisibility(page, "hidden");
            assertThat(liveConnectionOpen(page)).isFalse();
            setVisibility(page, "visible");
            page.waitForSelector("#live[data-state=open]");
            viewer.assertNoConsoleErrors();
        });
    }

    @Test
    @Order(2)
    void plannerStartsARunAndWatchesItFinish() throws Exception {
        inBrowser("planner", "plannerStartsARunAndWatchesItFinish", planner -> {
            Page page = planner.page;
            planner.open("runs");
            page.selectOption("#start select[name=grain]", "week");
            page.fill("#start input[name=horizon]", "8");
            page.fill("#start input[name=skus]", "SKU-A, SKU-B");
            page.click("#start button[type=submit]");
            page.waitForURL("**/#/runs/**");
            page.waitForSelector("#status progress");
            page.waitForSelector("#status [data-status]:has-text('succeeded')",
                    new Page.WaitForSelectorOptions().setTimeout(180_000));
            page.waitForSelector("#accuracy dt:has-text('MASE')");
            page.waitForSelector("#lineage dt:has-text('Code version')");
            PlaywrightAssertions.assertThat(page.locator("#status progress")).hasAttribute("value", "100");
            page.waitForSelector("#hist-note:has-text('series')");
            planner.screenshot("run-detail-planner");
            planner.open("runs");
            page.waitForSelector("#runs tbody tr");
            planner.screenshot("runs-planner");
            planner.assertNoConsoleErrors();
        });
    }

    @Test
    @Order(3)
    void plannerSeesHistoryForecastBandAndOverrides() throws Exception {
        inBrowser("planner", "plannerSeesHistoryForecastBandAndOverrides", planner -> {
            Page page = planner.page;
            planner.open("demand?sku=SKU-A&location=STORE-1&grain=week");
            page.waitForSelector("#cells tr[data-period]");
            page.waitForSelector("#demand-chart canvas");
            page.waitForSelector("#model dt:has-text('Chosen model')");
            Locator first = page.locator("#cells tr[data-period]").first();
            first.locator("input.override").fill("123");
            first.locator("input.reason").fill("promotion agreed with the store");
            first.locator("button.save").click();
            first.locator(".saved:has-text('saved by e2e-planner')").waitFor();

            planner.screenshot("demand-planner");
            planner.assertNoConsoleErrors();

            String csvHref = page.locator("#export-csv").getAttribute("href");
            assertThat(csvHref).contains("/forecasts?format=csv&sku=SKU-A&location=STORE-1");
            var export = page.request().get(baseUrl + csvHref);
            assertThat(export.status()).as("the API's CSV export behind the page's link").isEqualTo(200);
            assertThat(export.text()).startsWith("sku,location,period,p10,p50,p90,model").contains("promotion agreed");
        });
    }

    @Test
    @Order(4)
    void plannerReviewsLeadTimeAnomalies() throws Exception {
        inBrowser("planner", "plannerReviewsLeadTimeAnomalies", planner -> {
            Page page = planner.page;
            planner.open("anomalies?state=all");
            page.waitForSelector("#count");
            page.waitForFunction("() => document.querySelector('#count').textContent.length > 0");
            if (page.locator("#table tbody tr").count() > 0) {
                page.locator("#table tbody tr").first().click();
                page.waitForSelector("#detail dt:has-text('Lead time')");
                Locator acknowledge = page.locator("#acknowledge");
                if (acknowledge.count() > 0) {
                    acknowledge.click();
                    page.waitForSelector("#detail .badge:has-text('acknowledged by e2e-planner')");
                }
            } else {
                System.out.println("[e2e] anomalies: the lead-time model flagged nothing yet; the page shows its empty state");
            }
            planner.screenshot("anomalies-planner");
            planner.assertNoConsoleErrors();
        });
    }

    @Test
    @Order(5)
    void adminSeesQualityAndRoutes() throws Exception {
        inBrowser("admin", "adminSeesQualityAndRoutes", admin -> {
            Page page = admin.page;
            assertThat(page.locator("#nav a[data-view=routes]").isVisible()).isTrue();
            admin.open("quality");
            page.waitForSelector("#reconciliation table");
            page.waitForSelector("#checks p, #checks table");
            page.waitForSelector("#quarantine td:has-text('below the minimum')");
            page.click("#reprocess");
            page.waitForSelector("#reprocess-result.notice");
            admin.screenshot("quality-admin");

            admin.open("routes");
            page.waitForSelector("#new-route, #body .notice");
            if (page.locator("#new-route").count() > 0) {
                createFileDropRoute(admin);
            } else {
                assertThat(page.locator("#body .notice").textContent()).contains("not available");
                System.out.println("[e2e] routes: the API has no route administration yet; the page says so");
            }
            admin.screenshot("routes-admin");
            admin.assertNoConsoleErrors();
        });
    }

    private void createFileDropRoute(BrowserSession admin) throws IOException {
        Page page = admin.page;
        Path inbox = Files.createDirectories(INBOX_ROOT.resolve("e2e-drop"));
        page.click("#new-route");
        page.fill("#route-form input[name=id]", "e2e-drop");
        page.selectOption("#route-form select[name=kind]", "file-drop");
        page.selectOption("#route-form select[name=entity]", "sales-order-lines");
        page.fill("#option-inbox", inbox.toString());
        page.selectOption("#option-format", "csv");
        page.click("#validate");
        page.waitForSelector("#dry-run .badge");
        page.click("#route-form button[type=submit]");
        page.waitForSelector("#routes tr[data-route=e2e-drop]");
        page.click("#routes tr[data-route=e2e-drop] button[data-action=start]");
        page.waitForSelector("#routes tr[data-route=e2e-drop] button[data-action=stop]");
        Files.writeString(inbox.resolve("drop-1.csv"), "line_id,sku,location,quantity,ordered_at\n"
                + "drop-1,SKU-A,STORE-1,4,2025-01-02T10:00:00Z\ndrop-2,SKU-B,STORE-2,6,2025-01-02T11:00:00Z\n");
        page.waitForFunction("() => document.querySelector('#routes tr[data-route=e2e-drop] [data-counter=received]')"
                + ".textContent !== '0'", null, new Page.WaitForFunctionOptions().setTimeout(60_000));
        page.click("#routes tr[data-route=e2e-drop] button[data-action=audit]");
        page.waitForSelector("#audit table");
    }

    @Test
    @Order(6)
    void viewerCannotSeeAdminPages() throws Exception {
        inBrowser("viewer", "viewerCannotSeeAdminPages", viewer -> {
            Page page = viewer.page;
            assertThat(page.locator("#nav a[data-view=routes]").isVisible()).isFalse();
            assertThat(page.locator("#nav a[data-view=users]").isVisible()).isFalse();
            assertThat(page.locator("#nav a[data-view=tokens]").isVisible()).isFalse();
            viewer.open("routes");
            page.waitForSelector("main .notice:has-text('needs the admin role')");
            viewer.screenshot("routes-viewer-refused");
            for (String adminPage : List.of("users", "tokens")) {
                viewer.open(adminPage);
                page.waitForSelector("main h1:has-text('" + (adminPage.equals("users") ? "Users" : "API tokens") + "')");
                page.waitForSelector("main .notice:has-text('needs the admin role')");
                assertThat(page.locator("main form").count()).as("no admin form for a viewer on " + adminPage).isZero();
            }
            viewer.screenshot("users-viewer-refused");
            var tokensRefused = page.request().get(baseUrl + "/api/v1/admin/tokens");
            assertThat(tokensRefused.status()).isEqualTo(403);
            viewer.open("quality");
            page.waitForSelector("#quarantine p, #quarantine table");
            assertThat(page.locator("#reprocess").count()).isZero();
            viewer.open("demand?sku=SKU-A&location=STORE-1&grain=week");
            page.waitForSelector("#export p");
            assertThat(page.locator("#export").textContent()).contains("Exports are for planners");
            assertThat(page.locator("#cells input.override").count()).isZero();
            viewer.screenshot("demand-viewer");
            var refused = page.request().get(baseUrl + "/api/v1/admin/users");
            assertThat(refused.status()).isEqualTo(403);
            page.click("#sign-out");
            if (viewer.signInPageAvailable) {
                page.waitForURL("**/login?logout**");
                viewer.screenshot("signed-out");
            }
            assertThat(signedOut(page)).as("the session ends on sign-out").isTrue();
            viewer.assertNoConsoleErrors();
        });
    }

    @Test
    @Order(7)
    void darkSchemeRendersTheCharts() throws Exception {
        inBrowser("viewer", "darkSchemeRendersTheCharts", viewer -> {
            viewer.page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.DARK));
            viewer.open("overview");
            viewer.page.waitForSelector("#demand-chart canvas");
            viewer.page.waitForSelector("[data-count=received]");
            viewer.screenshot("overview-dark");
            viewer.open("runs");
            viewer.page.locator("#runs a").first().click();
            viewer.page.waitForSelector("#hist-note:has-text('series')");
            viewer.screenshot("run-detail-dark");
            viewer.assertNoConsoleErrors();
        });
    }

    @Test
    @Order(9)
    void adminCreatesAUserAndIssuesAndRevokesAToken() throws Exception {
        inBrowser("admin", "adminCreatesAUserAndIssuesAndRevokesAToken", admin -> {
            Page page = admin.page;
            assertThat(page.locator("#nav a[data-view=users]").isVisible()).isTrue();
            assertThat(page.locator("#nav a[data-view=tokens]").isVisible()).isTrue();

            // a user: created as planner, changed to viewer, disabled and enabled again
            admin.open("users");
            page.waitForSelector("#users table");
            page.fill("#new-user input[name=username]", "e2e-analyst");
            page.fill("#new-user input[name=password]", "analyst-password-123");
            page.selectOption("#new-user select[name=role]", "planner");
            page.click("#new-user button[type=submit]");
            page.waitForSelector("#create-result:has-text('Created e2e-analyst')");
            Locator row = page.locator("#users tr[data-user=e2e-analyst]");
            assertThat(row.locator("select.role").inputValue()).isEqualTo("planner");
            row.locator("select.role").selectOption("viewer");
            page.waitForSelector("#row-result:has-text('Role of e2e-analyst is now viewer')");
            assertThat(accounts.find("e2e-analyst").orElseThrow().roles()).containsExactly("VIEWER");
            row.locator("button[data-action=disable]").click();
            row.locator("[data-enabled=false]").waitFor();
            assertThat(accounts.find("e2e-analyst").orElseThrow().enabled()).isFalse();
            row.locator("button[data-action=enable]").click();
            row.locator("[data-enabled=true]").waitFor();
            // a user name the API would refuse is stopped in the form already, and nothing is created
            page.fill("#new-user input[name=username]", "E2E Bad!");
            page.fill("#new-user input[name=password]", "analyst-password-123");
            page.click("#new-user button[type=submit]");
            assertThat((Boolean) page.evaluate(
                    "() => document.querySelector('#new-user input[name=username]').validity.patternMismatch")).isTrue();
            assertThat(page.locator("#create-result").textContent()).doesNotContain("E2E Bad!");
            assertThat(accounts.all()).noneMatch(account -> account.username().equalsIgnoreCase("e2e bad!"));
            admin.screenshot("users-admin");

            // a token for that user: the secret is shown once, works read-only, shows its last use, dies on revoke
            admin.open("tokens");
            page.waitForSelector("#new-token select[name=username] option[value=e2e-analyst]",
                    new Page.WaitForSelectorOptions().setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
            page.fill("#new-token input[name=name]", "e2e power bi");
            page.selectOption("#new-token select[name=username]", "e2e-analyst");
            page.click("#new-token button[type=submit]");
            String token = page.locator("#token-value").textContent().strip();
            assertThat(token).startsWith("rfy_");
            page.waitForSelector("#tokens tr[data-name='e2e power bi'] .badge:has-text('active')");
            admin.screenshot("tokens-admin-secret-once");
            var machine = playwright.request().newContext();
            try {
                var read = machine.get(baseUrl + "/api/v1/demand?sku=SKU-A",
                        com.microsoft.playwright.options.RequestOptions.create().setHeader("X-API-Key", token));
                assertThat(read.status()).as("the new token reads data").isEqualTo(200);
                page.reload();
                Locator tokenRow = page.locator("#tokens tr[data-name='e2e power bi']");
                tokenRow.locator("[data-last-used]:has-text('ago')").waitFor();
                assertThat(tokenRow.locator("td").nth(0).textContent()).isEqualTo("e2e-analyst");
                assertThat(page.locator("#token-value").count()).as("the secret is never shown again").isZero();
                assertThat(page.content()).doesNotContain(token);
                admin.screenshot("tokens-admin");
                tokenRow.locator("button[data-action=revoke]").click();
                tokenRow.locator("button[data-action=revoke]:has-text('Confirm')").click();
                page.waitForSelector("#tokens tr[data-name='e2e power bi'] .badge:has-text('revoked')");
                var refused = machine.get(baseUrl + "/api/v1/demand?sku=SKU-A",
                        com.microsoft.playwright.options.RequestOptions.create().setHeader("X-API-Key", token));
                assertThat(refused.status()).as("a revoked token").isEqualTo(401);
            } finally {
                machine.dispose();
            }
            admin.assertNoConsoleErrors();
        });
    }

    /**
     * Every page at a laptop size (1280×720) and a small window (760×900): no console errors, no
     * page wider than the window (tables scroll inside their panels), a screenshot of each; the
     * alerts banner is either hidden or names its alerts.
     */
    @Test
    @Order(10)
    void everyPageFitsALaptopAndASmallWindowWithoutConsoleErrors() throws Exception {
        inBrowser("admin", "everyPageFitsALaptopAndASmallWindowWithoutConsoleErrors", admin -> {
            Page page = admin.page;
            Map<String, String> pages = new java.util.LinkedHashMap<>();
            pages.put("overview", "#demand-chart canvas");
            pages.put("demand?sku=SKU-A&location=STORE-1&grain=week", "#demand-chart canvas");
            pages.put("runs", "#runs table, #runs p");
            pages.put("anomalies?state=all", "#count");
            pages.put("quality", "#checks p, #checks table"); // its content belongs to the quality page's own test
            pages.put("routes", "#routes table, #routes p, #body .notice");
            pages.put("users", "#users table");
            pages.put("tokens", "#tokens table, #tokens p");
            for (int[] size : List.of(new int[] {1280, 720}, new int[] {760, 900})) {
                page.setViewportSize(size[0], size[1]);
                for (var entry : pages.entrySet()) {
                    // each page as a fresh load from a blank tab, as a bookmark would open it
                    page.navigate("about:blank");
                    admin.open(entry.getKey());
                    page.waitForSelector(entry.getValue());
                    page.waitForTimeout(300);
                    Object overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth");
                    assertThat(((Number) overflow).intValue()).as("horizontal overflow of " + entry.getKey() + " at "
                            + size[0] + " px").isLessThanOrEqualTo(0);
                    assertThat(page.locator("#tz").getAttribute("title")).contains("UTC");
                    String name = entry.getKey().replaceAll("[?&=].*", "");
                    admin.screenshot("page-" + name + "-" + size[0] + "x" + size[1]);
                }
            }
            // the banner: nothing while the API offers no alerts (and no 404 in the console), else labelled alerts
            page.waitForTimeout(1500);
            Locator banner = page.locator("#alerts");
            if (banner.isVisible()) {
                assertThat(banner.locator(".alert[data-severity]").count()).isPositive();
                assertThat(banner.getAttribute("role")).isIn("alert", "status");
            }
            admin.assertNoConsoleErrors();
        });
    }

    /**
     * The sign-in page as a browser shows it. Until the security rules let anonymous users load
     * {@code GET /login}, its HTML (the page the dashboard serves there) is rendered directly.
     */
    @Test
    @Order(8)
    void signInPageRenders() throws Exception {
        try (var context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1366, 768))) {
            Page page = context.newPage();
            var probe = context.request().get(baseUrl + "/login",
                    com.microsoft.playwright.options.RequestOptions.create().setMaxRedirects(0));
            if (probe.status() == 200) {
                page.navigate(baseUrl + "/login?error");
            } else {
                try (var html = getClass().getResourceAsStream("/dashboard/login.html")) {
                    page.setContent(new String(html.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            assertThat(page.locator("label:has-text('User name') input").count()).isEqualTo(1);
            assertThat(page.locator("label:has-text('Password') input[type=password]").count()).isEqualTo(1);
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("sign-in.png")));
        }
    }

    private boolean signedOut(Page page) {
        for (int attempt = 0; attempt < 50; attempt++) {
            if (page.request().get(baseUrl + DashboardConfiguration.SESSION_PATH).status() == 401) {
                return true;
            }
            page.waitForTimeout(200);
        }
        return false;
    }

    private static boolean liveConnectionOpen(Page page) {
        return (boolean) page.evaluate("() => import('/js/live.js').then(live => live.liveState().open)");
    }

    private static void setVisibility(Page page, String state) {
        page.evaluate("state => { Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });"
                + " document.dispatchEvent(new Event('visibilitychange')); }", state);
    }

    /** The module's build directory (target, or the -Drefinery.target folder): test-classes' parent. */
    private static Path buildDirectory() {
        try {
            return Path.of(DashboardE2eTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

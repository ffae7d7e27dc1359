import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import com.google.gson.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The dashboard in the system Chromium against a running app (ops/bench-dashboard.sh starts it with
 * demo data). Two modes:
 * <ul>
 *   <li>{@code load BASE USER PASSWORD N PAGE...}: each page loaded N times in a fresh tab of a signed-in
 *       browser (warm HTTP cache) and N/2 times in a fresh browser context (cold cache); the time from
 *       navigation start to the first chart drawn ({@code refinery:first-chart} mark, or the first chart
 *       canvas where a page sets no mark), p50/p95/max, and where the overview's time goes.</li>
 *   <li>{@code soak BASE USER PASSWORD MINUTES}: the overview left open; every 30 s the JS heap (CDP
 *       Runtime.getHeapUsage, after a forced GC), DOM nodes, event listeners and open live connections in the page,
 *       and the server's SSE subscribers (metric refinery.stream.clients); first vs last and the slope.</li>
 * </ul>
 * Never a downloaded browser: /usr/bin/chromium only.
 */
public class DashboardBench {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String base = args[1];
        String user = args[2];
        String password = args[3];
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))) {
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM).setHeadless(true)
                    .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync",
                            "--enable-precise-memory-info", "--js-flags=--expose-gc")));
            if (mode.equals("load")) {
                int n = Integer.parseInt(args[4]);
                List<String> pages = List.of(args).subList(5, args.length);
                load(browser, base, user, password, n, pages);
            } else {
                soak(browser, base, user, password, Double.parseDouble(args[4]));
            }
            browser.close();
        }
    }

    static BrowserContext signedIn(Browser browser, String base, String user, String password) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 720));
        // Generous: on a shared, overloaded machine a navigation can take longer than Playwright's 30 s default.
        context.setDefaultTimeout(180_000);
        context.setDefaultNavigationTimeout(180_000);
        context.request().get(base + "/login", RequestOptions.create().setMaxRedirects(0));
        String csrf = context.cookies().stream().filter(c -> c.name.equals("XSRF-TOKEN")).findFirst()
                .map(c -> c.value).orElseThrow(() -> new IllegalStateException("no XSRF-TOKEN cookie from " + base));
        var response = context.request().post(base + "/login", RequestOptions.create().setMaxRedirects(0)
                .setForm(FormData.create().set("username", user).set("password", password).set("_csrf", csrf)));
        String location = response.headers().getOrDefault("location", "");
        if (location.contains("error")) {
            throw new IllegalStateException("sign-in refused for " + user);
        }
        return context;
    }

    /** Milliseconds from navigation start to the first chart; plus the overview's breakdown when present. */
    static Map<String, Double> measure(Page page, String url) {
        List<String> console = new ArrayList<>();
        page.onConsoleMessage(m -> console.add(m.type() + ": " + m.text()));
        page.navigate(url);
        try {
            waitForChart(page);
        } catch (RuntimeException e) {
            System.err.println("[bench] no chart at " + page.url() + "; console: " + console + "; main: "
                    + page.locator("main").textContent().strip().replaceAll("\\s+", " "));
            throw e;
        }
        return timings(page);
    }

    static void waitForChart(Page page) {
        page.waitForFunction("() => performance.getEntriesByName('refinery:first-chart').length > 0"
                + " || document.querySelector('.chart canvas') !== null", null,
                new Page.WaitForFunctionOptions().setTimeout(180_000).setPollingInterval(5));
    }

    static Map<String, Double> timings(Page page) {
        @SuppressWarnings("unchecked")
        Map<String, Object> raw = (Map<String, Object>) page.evaluate("""
                () => {
                  const mark = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
                  const out = { firstChart: mark('refinery:first-chart') ?? performance.now(),
                    marked: mark('refinery:first-chart') !== null ? 1 : 0,
                    domContentLoaded: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? null,
                    appStart: mark('refinery:app-start'), session: mark('refinery:session'), viewLoaded: mark('refinery:view-loaded') };
                  for (const r of performance.getEntriesByType('resource')) {
                    const name = r.name.replace(location.origin, '');
                    if (name.startsWith('/api/v1/demand') || name.startsWith('/api/v1/dashboard/overview')) {
                      out.dataRequestStart = r.requestStart || r.startTime; out.dataResponseEnd = r.responseEnd;
                      out.dataBytes = r.encodedBodySize;
                    }
                    if (name.includes('echarts')) out.echartsEnd = r.responseEnd;
                    if (name.startsWith('/dashboard/session')) out.sessionEnd = r.responseEnd;
                  }
                  return out;
                }""");
        Map<String, Double> result = new LinkedHashMap<>();
        raw.forEach((k, v) -> result.put(k, v == null ? Double.NaN : ((Number) v).doubleValue()));
        return result;
    }

    static void load(Browser browser, String base, String user, String password, int n, List<String> pages) {
        System.out.println("| Page | Cache | Loads | p50 ms | p95 ms | max ms | how measured |");
        System.out.println("|---|---|---|---|---|---|---|");
        Map<String, List<Map<String, Double>>> breakdowns = new LinkedHashMap<>();
        try (BrowserContext warm = signedIn(browser, base, user, password)) {
            for (String hash : pages) {
                String url = base + "/#/" + hash;
                // one unmeasured load: the server's and the browser's first-call costs (JIT, springdoc, cache fill)
                try (Page first = warm.newPage()) {
                    measure(first, url);
                }
                List<Double> warmTimes = new ArrayList<>();
                boolean marked = true;
                for (int i = 0; i < n; i++) {
                    try (Page page = warm.newPage()) {
                        Map<String, Double> m = measure(page, url);
                        warmTimes.add(m.get("firstChart"));
                        marked &= m.get("marked") > 0;
                        if (hash.startsWith("overview")) {
                            breakdowns.computeIfAbsent("warm", k -> new ArrayList<>()).add(m);
                        }
                    }
                }
                row(hash, "warm", warmTimes, marked);
                List<Double> coldTimes = new ArrayList<>();
                for (int i = 0; i < Math.max(2, n / 2); i++) {
                    try (BrowserContext cold = signedIn(browser, base, user, password); Page page = cold.newPage()) {
                        Map<String, Double> m = measure(page, url);
                        coldTimes.add(m.get("firstChart"));
                        if (hash.startsWith("overview")) {
                            breakdowns.computeIfAbsent("cold", k -> new ArrayList<>()).add(m);
                        }
                    }
                }
                row(hash, "cold", coldTimes, marked);
            }
        }
        breakdowns.forEach((cache, list) -> {
            System.out.println();
            System.out.println("Overview, " + cache + " cache: medians (ms after navigation start)");
            for (String key : list.get(0).keySet()) {
                if (key.equals("marked")) {
                    continue;
                }
                List<Double> values = list.stream().map(m -> m.get(key)).filter(v -> v != null && !v.isNaN()).toList();
                System.out.printf(Locale.ROOT, "- %s: %s%n", key, values.isEmpty() ? "–" : fmt(percentile(values, 50)));
            }
        });
    }

    static void row(String page, String cache, List<Double> times, boolean marked) {
        System.out.printf(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s |%n", page, cache, times.size(),
                fmt(percentile(times, 50)), fmt(percentile(times, 95)), fmt(times.stream().mapToDouble(d -> d).max().orElse(0)),
                marked ? "refinery:first-chart mark" : "first chart canvas (page sets no mark)");
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    static double percentile(List<Double> values, double p) {
        List<Double> sorted = values.stream().sorted().toList();
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    static void soak(Browser browser, String base, String user, String password, double minutes) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
        try (BrowserContext context = signedIn(browser, base, user, password); Page page = context.newPage()) {
            // Counts EventSources the page opens and closes, to see connections the page forgets.
            page.addInitScript("""
                    (() => { const Native = window.EventSource; window.__sse = { opened: 0, closed: 0 };
                      window.EventSource = class extends Native {
                        constructor(...a) { super(...a); window.__sse.opened++; }
                        close() { if (this.readyState !== 2) window.__sse.closed++; super.close(); } }; })();""");
            page.navigate(base + "/#/overview");
            page.waitForSelector("#live[data-state=open]", new Page.WaitForSelectorOptions().setTimeout(60_000));
            CDPSession cdp = context.newCDPSession(page);
            cdp.send("Performance.enable");
            Instant start = Instant.now();
            Instant end = start.plus(Duration.ofMillis((long) (minutes * 60_000)));
            List<double[]> samples = new ArrayList<>(); // minute, heapMB, nodes, listeners, openSse, serverClients
            System.out.println("| min | JS heap used MB (after GC) | DOM nodes | JS event listeners | page EventSources open | server SSE clients | live state |");
            System.out.println("|---|---|---|---|---|---|---|");
            while (true) {
                cdp.send("HeapProfiler.collectGarbage");
                JsonObject heap = cdp.send("Runtime.getHeapUsage");
                JsonObject metrics = cdp.send("Performance.getMetrics");
                Map<String, Double> m = new LinkedHashMap<>();
                metrics.getAsJsonArray("metrics").forEach(e -> m.put(e.getAsJsonObject().get("name").getAsString(),
                        e.getAsJsonObject().get("value").getAsDouble()));
                double heapMb = heap.get("usedSize").getAsDouble() / 1048576.0;
                @SuppressWarnings("unchecked")
                Map<String, Object> sse = (Map<String, Object>) page.evaluate(
                        "() => ({ open: window.__sse.opened - window.__sse.closed, state: document.querySelector('#live').dataset.state })");
                double open = ((Number) sse.get("open")).doubleValue();
                double clients = serverClients(http, base, basic);
                double minute = Duration.between(start, Instant.now()).toMillis() / 60000.0;
                samples.add(new double[]{minute, heapMb, m.getOrDefault("Nodes", 0.0), m.getOrDefault("JSEventListeners", 0.0), open, clients});
                System.out.printf(Locale.ROOT, "| %.1f | %.2f | %.0f | %.0f | %.0f | %s | %s |%n", minute, heapMb,
                        m.getOrDefault("Nodes", 0.0), m.getOrDefault("JSEventListeners", 0.0), open,
                        clients < 0 ? "?" : fmt(clients), sse.get("state"));
                if (!Instant.now().plusSeconds(30).isBefore(end.plusSeconds(1))) {
                    break;
                }
                page.waitForTimeout(30_000);
            }
            System.out.println();
            double[] first = samples.get(0);
            double[] last = samples.get(samples.size() - 1);
            String[] names = {"", "JS heap MB", "DOM nodes", "JS event listeners", "page EventSources open", "server SSE clients"};
            // The first minutes include warm-up (JIT, caches, the first reloads): the slope is fitted from minute 2 on.
            List<double[]> settled = samples.stream().filter(s -> s[0] >= 2).toList();
            for (int i = 1; i < names.length; i++) {
                System.out.printf(Locale.ROOT, "- %s: first %.2f, last %.2f, slope %s per hour (least squares over minutes ≥ 2, %d samples)%n",
                        names[i], first[i], last[i], settled.size() < 3 ? "–" : String.format(Locale.ROOT, "%+.3f", slope(settled, i) * 60),
                        settled.size());
            }
        }
    }

    static double serverClients(HttpClient http, String base, String basic) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/metrics/refinery.stream.clients"))
                    .header("Authorization", basic).header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return -1;
            }
            var matcher = java.util.regex.Pattern.compile("\"value\"\\s*:\\s*([0-9.eE+-]+)").matcher(r.body());
            return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    static double slope(List<double[]> samples, int column) {
        double n = samples.size(), sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (double[] s : samples) {
            sx += s[0];
            sy += s[column];
            sxx += s[0] * s[0];
            sxy += s[0] * s[column];
        }
        double d = n * sxx - sx * sx;
        return d == 0 ? 0 : (n * sxy - sx * sy) / d;
    }
}

package io.refinery.warehouse.embedded;

import io.refinery.warehouse.test.TestWarehouseInitializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The loopback endpoint as a ClickHouse client sees it, and the one-process-per-directory rule. */
class EmbeddedEndpointTest {

    static EmbeddedClickHouse engine;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        engine = EmbeddedClickHouse.start(new EmbeddedClickHouse.Options(TestWarehouseInitializer.testDataDir(), 0, 4, null));
    }

    @Test
    void pingAnswersWithoutCredentialsLikeAServer() throws Exception {
        HttpResponse<String> ping = http.send(HttpRequest.newBuilder(URI.create(engine.httpUrl() + "/ping")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(ping.body()).isEqualTo("Ok.\n");
    }

    @Test
    void queriesNeedTheProcessPasswordAndWrongOnesGetAnAuthenticationError() throws Exception {
        HttpResponse<String> wrong = post("SELECT 1", "refinery", "guess");
        HttpResponse<String> right = post("SELECT 1", engine.user(), engine.password());

        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("X-ClickHouse-Exception-Code")).contains("516");
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(right.body()).isEqualTo("1\n");
    }

    @Test
    void theEnginesAllocatorIsAskedForHugePagesUnlessTheProcessSaysOtherwise() throws Exception {
        String own = System.getenv(ChdbNative.ALLOCATOR_CONF_VARIABLE); // Java's copy of the start environment
        assertThat(ChdbNative.nativeGetenv(ChdbNative.ALLOCATOR_CONF_VARIABLE))
                .isEqualTo(own != null ? own : ChdbNative.ALLOCATOR_CONF);

        java.nio.file.Path thp = java.nio.file.Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        org.junit.jupiter.api.Assumptions.assumeTrue(own == null && java.nio.file.Files.exists(thp)
                        && !java.nio.file.Files.readString(thp).contains("[never]"),
                "the kernel grants no transparent huge pages here, or the process chose its own allocator settings");
        // a large result makes the engine allocate; the JVM's own heap does not ask for huge pages by default
        post("SELECT sum(length(s)) FROM (SELECT repeat('x', 100) AS s FROM numbers(3000000))", engine.user(),
                engine.password());
        long hugeKb = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/smaps_rollup")).stream()
                .filter(l -> l.startsWith("AnonHugePages:")).mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                .sum();
        assertThat(hugeKb).as("anonymous huge pages in this process after an engine query").isPositive();
    }

    @Test
    void insertsReportRowsWrittenInTheSummaryHeader() throws Exception {
        post("CREATE TABLE IF NOT EXISTS default.summary_probe (a UInt8) ENGINE = Memory", engine.user(), engine.password());

        HttpResponse<String> insert = post("INSERT INTO default.summary_probe VALUES (1), (2), (3)", engine.user(),
                engine.password());

        assertThat(insert.headers().firstValue("X-ClickHouse-Summary").orElseThrow()).contains("\"written_rows\":\"3\"");
    }

    @Test
    void anInsertWithoutDataAnswersAtOnceInsteadOfWaitingForStandardInput() throws Exception {
        post("CREATE TABLE IF NOT EXISTS default.stdin_probe (a UInt8) ENGINE = Memory", engine.user(), engine.password());
        HttpRequest request = HttpRequest.newBuilder(URI.create(engine.httpUrl() + "/"))
                .timeout(java.time.Duration.ofSeconds(30))
                .header("X-ClickHouse-User", engine.user()).header("X-ClickHouse-Key", engine.password())
                .POST(HttpRequest.BodyPublishers.ofString("INSERT INTO default.stdin_probe")).build();

        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isIn(200, 400, 500);
        assertThat(post("SELECT count() FROM default.stdin_probe", engine.user(), engine.password()).body())
                .isEqualTo("0\n");
    }

    @Test
    void settingsOfOneRequestDoNotLeakIntoTheNext() throws Exception {
        String uri = engine.httpUrl() + "/?max_block_size=12345";
        HttpResponse<String> withSetting = http.send(authorized(HttpRequest.newBuilder(URI.create(uri)))
                .POST(HttpRequest.BodyPublishers.ofString("SELECT getSetting('max_block_size')")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(withSetting.body().strip()).isEqualTo("12345");

        for (int i = 0; i < 8; i++) { // every pooled connection is reset, whichever one answers
            assertThat(post("SELECT getSetting('max_block_size')", engine.user(), engine.password()).body().strip())
                    .isNotEqualTo("12345");
        }
    }

    @Test
    void aSecondProcessOnTheSameDirectoryIsRefusedWithAClearMessage() throws Exception {
        Process second = new ProcessBuilder(List.of(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                SecondProcess.class.getName(), TestWarehouseInitializer.testDataDir().toString()))
                .redirectErrorStream(true).start();
        assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(second.exitValue()).as(output).isEqualTo(3);
        assertThat(output).contains("is in use by another Refinery process").contains("pid " + ProcessHandle.current().pid());
    }

    /** Started as a separate JVM by the test above. */
    public static final class SecondProcess {
        public static void main(String[] args) {
            try {
                EmbeddedClickHouse.start(new EmbeddedClickHouse.Options(java.nio.file.Path.of(args[0]), 0, 1, null));
                System.out.println("started: the lock did not hold");
                System.exit(0);
            } catch (WarehouseDirectoryInUseException e) {
                System.out.println(e.getMessage());
                System.exit(3);
            }
        }
    }

    private static HttpResponse<String> post(String sql, String user, String password) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(engine.httpUrl() + "/"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                        .getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(sql)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder builder) {
        return builder.header("X-ClickHouse-User", engine.user()).header("X-ClickHouse-Key", engine.password());
    }
}

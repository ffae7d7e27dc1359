package io.refinery.api.demand;

import io.refinery.api.ApiTest;
import io.refinery.api.Seed;
import io.refinery.api.TestUsers;
import io.refinery.warehouse.accounts.UserAccounts;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.io.ByteArrayOutputStream;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Uploads through the ingestion facade, then demand history read back from the served layer. */
@ApiTest
class DatasetsAndDemandTest {

    private static final ParameterizedTypeReference<List<Map<String, Object>>> ROWS = new ParameterizedTypeReference<>() {
    };

    @Autowired
    WebTestClient client;
    @Autowired
    UserAccounts accounts;
    @Autowired
    PasswordEncoder encoder;

    @BeforeEach
    void users() {
        TestUsers.ensure(accounts, encoder);
    }

    @Test
    void a_csv_upload_reports_accepted_and_quarantined_rows_links_the_quarantine_and_a_second_upload_is_recognised() {
        String sku = Seed.unique("CSV");
        String csv = "line_id,sku,location,quantity,unit_price,ordered_at,channel\n"
                + sku + "-1," + sku + ",L1,2,1.5,2025-03-05T09:00:00Z,web\n"
                + sku + "-2," + sku + ",L1,3,1.5,2025-03-06T09:00:00Z,web\n"
                + sku + "-3," + sku + ",L1,-5,1.5,2025-03-07T09:00:00Z,web\n";
        // when a planner uploads it
        @SuppressWarnings("unchecked")
        Map<String, Object> result = client.post().uri("/api/v1/datasets/sales-order-lines?filename=orders march.csv")
                .headers(TestUsers.as("planner")).contentType(new MediaType("text", "csv")).bodyValue(csv)
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        // then the counts add up and the bad row is in the quarantine behind the link
        assertThat(result).containsEntry("received", 3).containsEntry("accepted", 2).containsEntry("quarantined", 1);
        assertThat(result.get("batchId")).isNotNull();
        client.get().uri((String) result.get("quarantine")).headers(TestUsers.as("viewer")).exchange()
                .expectStatus().isOk().expectBody(ROWS)
                .value(entries -> assertThat(entries).singleElement().satisfies(e -> assertThat(e.get("field")).isEqualTo("quantity")));
        // when the same file comes again, then nothing is ingested twice
        client.post().uri("/api/v1/datasets/sales-order-lines").headers(TestUsers.as("planner"))
                .contentType(new MediaType("text", "csv")).bodyValue(csv).exchange().expectStatus().isCreated()
                .expectBody().jsonPath("$.accepted").isEqualTo(0).jsonPath("$.alreadyIngested").isEqualTo(3);
    }

    @Test
    void the_quarantine_is_filtered_by_batch_field_rule_and_reason_in_pages_with_a_next_link() {
        String sku = Seed.unique("QB");
        StringBuilder csv = new StringBuilder("line_id,sku,location,quantity,unit_price,ordered_at,channel\n");
        for (int i = 1; i <= 5; i++) {
            csv.append(sku).append("-").append(i).append(',').append(sku).append(",L1,-").append(i)
                    .append(",1.5,2025-03-05T09:00:00Z,web\n");
        }
        csv.append(sku).append("-6,").append(sku).append(",L1,2,1.5,not-a-time,web\n");
        @SuppressWarnings("unchecked")
        Map<String, Object> upload = client.post().uri("/api/v1/datasets/sales-order-lines")
                .headers(TestUsers.as("planner")).contentType(new MediaType("text", "csv")).bodyValue(csv.toString())
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(upload).containsEntry("quarantined", 6);
        String batch = (String) upload.get("batchId");
        // another batch with quarantined records, which a batch filter must not return
        Seed.sales(client, Seed.unique("QB"), "L1", Map.of(LocalDate.parse("2025-03-05"), 1));
        client.post().uri("/api/v1/datasets/sales-order-lines").headers(TestUsers.as("planner"))
                .contentType(new MediaType("text", "csv"))
                .bodyValue("line_id,sku,location,quantity,unit_price,ordered_at,channel\nX-" + sku + ",X" + sku
                        + ",L1,-1,1,2025-03-05T09:00:00Z,web\n").exchange().expectStatus().isCreated();

        assertThat(quarantine("batchId=" + batch + "&limit=100")).hasSize(6)
                .allSatisfy(e -> assertThat(e.get("batchId")).isEqualTo(batch));
        assertThat(quarantine("batchId=" + batch + "&field=quantity")).hasSize(5)
                .extracting(e -> e.get("recordNo")).containsExactly(0, 1, 2, 3, 4); // record numbers count from 0
        assertThat(quarantine("batchId=" + batch + "&field=ordered_at")).singleElement()
                .satisfies(e -> assertThat(e.get("value")).isEqualTo("not-a-time"));
        String rule = (String) quarantine("batchId=" + batch + "&field=quantity").get(0).get("rule");
        assertThat(quarantine("batchId=" + batch + "&rule=" + rule)).hasSize(5);
        String reason = (String) quarantine("batchId=" + batch + "&field=quantity").get(0).get("reason");
        String word = java.util.Arrays.stream(reason.split("[^A-Za-z]+")).filter(w -> w.length() >= 4).findFirst()
                .orElseThrow();
        assertThat(quarantine("batchId=" + batch + "&reason=" + word.toUpperCase()))
                .extracting(e -> e.get("field")).contains("quantity", "quantity", "quantity", "quantity", "quantity");
        assertThat(quarantine("batchId=" + batch + "&reason=no-such-reason-text")).isEmpty();

        // pages of 4: the first links the next, the next is the rest and links nothing
        var first = client.get().uri("/api/v1/quarantine?batchId=" + batch + "&limit=4").headers(TestUsers.as("viewer"))
                .exchange().expectStatus().isOk().expectBody(ROWS).returnResult();
        assertThat(first.getResponseBody()).extracting(e -> e.get("recordNo")).containsExactly(0, 1, 2, 3);
        String link = first.getResponseHeaders().getFirst("Link");
        assertThat(link).contains("offset=4").endsWith("rel=\"next\"");
        String next = link.substring(link.indexOf('<') + 1, link.indexOf('>'));
        var second = client.get().uri(java.net.URI.create(next)).headers(TestUsers.as("viewer"))
                .exchange().expectStatus().isOk().expectBody(ROWS).returnResult();
        assertThat(second.getResponseBody()).extracting(e -> e.get("recordNo")).containsExactly(4, 5);
        assertThat(second.getResponseHeaders().getFirst("Link")).isNull();
    }

    private List<Map<String, Object>> quarantine(String query) {
        return client.get().uri("/api/v1/quarantine?" + query).headers(TestUsers.as("viewer")).exchange()
                .expectStatus().isOk().expectBody(ROWS).returnResult().getResponseBody();
    }

    @Test
    void demand_history_reflects_a_new_upload_although_responses_are_cached() {
        String sku = Seed.unique("DC");
        Seed.sales(client, sku, "L1", Map.of(LocalDate.parse("2025-02-03"), 4));
        assertThat(demand("sku=" + sku)).extracting(r -> r.get("period") + "=" + r.get("quantity"))
                .containsExactly("2025-02-03=4");
        assertThat(demand("sku=" + sku)).hasSize(1);
        // when more sales of the same SKU land, the next identical request shows them
        Seed.sales(client, sku, "L1", Map.of(LocalDate.parse("2025-02-04"), 6));
        assertThat(demand("sku=" + sku)).extracting(r -> r.get("period") + "=" + r.get("quantity"))
                .containsExactly("2025-02-03=4", "2025-02-04=6");
    }

    @Test
    void demand_history_by_sku_comes_per_day_per_monday_week_and_per_month() {
        // given sales on Wednesday 5, Sunday 9 and Monday 10 March 2025
        String sku = Seed.unique("DEM");
        Map<LocalDate, Integer> days = new LinkedHashMap<>();
        days.put(LocalDate.parse("2025-03-05"), 2);
        days.put(LocalDate.parse("2025-03-09"), 3);
        days.put(LocalDate.parse("2025-03-10"), 5);
        Seed.sales(client, sku, "L1", days);

        assertThat(demand("sku=" + sku + "&grain=day")).extracting(r -> r.get("period") + "=" + r.get("quantity"))
                .containsExactly("2025-03-05=2", "2025-03-09=3", "2025-03-10=5");
        assertThat(demand("sku=" + sku + "&grain=week")).extracting(r -> r.get("period") + "=" + r.get("quantity"))
                .containsExactly("2025-03-03=5", "2025-03-10=5");
        assertThat(demand("sku=" + sku + "&grain=month")).extracting(r -> r.get("period") + "=" + r.get("quantity"))
                .containsExactly("2025-03-01=10");
        // from/to are inclusive and widen to the period
        assertThat(demand("sku=" + sku + "&grain=week&from=2025-03-09&to=2025-03-09"))
                .extracting(r -> r.get("period")).containsExactly("2025-03-03");
    }

    @Test
    void demand_by_category_goes_through_products_and_csv_is_available_for_power_bi() {
        String sku = Seed.unique("CAT");
        String category = "cat-" + sku.toLowerCase().substring(4);
        client.post().uri("/api/v1/datasets/products").headers(TestUsers.as("planner"))
                .contentType(MediaType.parseMediaType("application/x-ndjson"))
                .bodyValue("{\"sku\":\"" + sku + "\",\"name\":\"Test product\",\"category\":\"" + category + "\",\"unit\":\"EA\"}\n")
                .exchange().expectStatus().isCreated().expectBody().jsonPath("$.accepted").isEqualTo(1);
        Seed.sales(client, sku, "L2", Map.of(LocalDate.parse("2025-04-01"), 7));

        assertThat(demand("category=" + category)).extracting(r -> r.get("sku") + "@" + r.get("location"))
                .containsExactly(sku + "@L2");
        client.get().uri("/api/v1/demand?format=csv&sku=" + sku).headers(TestUsers.as("viewer")).exchange()
                .expectStatus().isOk().expectHeader().contentTypeCompatibleWith(new MediaType("text", "csv"))
                .expectBody(String.class).value(body -> assertThat(body.lines().toList())
                        .containsExactly("sku,location,period,quantity,order_lines,revenue", sku + ",L2,2025-04-01,7,1,17.5"));
    }

    @Test
    void an_xlsx_upload_is_read_row_by_row() throws Exception {
        String location = Seed.unique("LOC");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XSSFWorkbook workbook = new XSSFWorkbook()) {
            var sheet = workbook.createSheet("locations");
            var header = sheet.createRow(0);
            header.createCell(0).setCellValue("location");
            header.createCell(1).setCellValue("name");
            header.createCell(2).setCellValue("region");
            var row = sheet.createRow(1);
            row.createCell(0).setCellValue(location);
            row.createCell(1).setCellValue("Test store");
            row.createCell(2).setCellValue("north");
            workbook.write(out);
        }
        client.post().uri("/api/v1/datasets/locations").headers(TestUsers.as("planner"))
                .contentType(MediaType.parseMediaType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
                .bodyValue(out.toByteArray()).exchange().expectStatus().isCreated()
                .expectBody().jsonPath("$.received").isEqualTo(1).jsonPath("$.accepted").isEqualTo(1);
        client.get().uri("/odata/v4/Locations?$filter=location eq '" + location + "'").headers(TestUsers.as("viewer"))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.value[0].region").isEqualTo("north");
    }

    @Test
    void a_viewer_cannot_upload() {
        client.post().uri("/api/v1/datasets/products").headers(TestUsers.as("viewer"))
                .contentType(new MediaType("text", "csv")).bodyValue("sku,name,category,unit\nV-1,x,y,EA\n")
                .exchange().expectStatus().isForbidden();
    }

    private List<Map<String, Object>> demand(String query) {
        return client.get().uri("/api/v1/demand?" + query).headers(TestUsers.as("viewer")).exchange()
                .expectStatus().isOk().expectBody(ROWS).returnResult().getResponseBody();
    }
}

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

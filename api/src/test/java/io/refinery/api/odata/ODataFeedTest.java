package io.refinery.api.odata;

import io.refinery.api.ApiTest;
import io.refinery.api.Seed;
import io.refinery.api.TestUsers;
import io.refinery.warehouse.accounts.UserAccounts;
import org.apache.olingo.client.api.ODataClient;
import org.apache.olingo.client.api.domain.ClientEntity;
import org.apache.olingo.client.api.domain.ClientEntitySet;
import org.apache.olingo.client.core.ODataClientFactory;
import org.apache.olingo.client.core.http.BasicAuthHttpClientFactory;
import org.apache.olingo.commons.api.edm.Edm;
import org.apache.olingo.commons.api.edm.EdmEntitySet;
import org.apache.olingo.commons.api.edm.constants.EdmTypeKind;
import org.apache.olingo.commons.api.format.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.util.UriUtils;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The feed as Power BI's kind of client sees it: Apache Olingo's OData client (not our code) reads
 * $metadata and pages through an entity set with $filter and $select (page size 7 in tests).
 */
@ApiTest
class ODataFeedTest {

    @Autowired
    WebTestClient client;
    @Autowired
    UserAccounts accounts;
    @Autowired
    PasswordEncoder encoder;
    @LocalServerPort
    int port;

    @BeforeEach
    void users() {
        TestUsers.ensure(accounts, encoder);
    }

    private ODataClient olingo() {
        ODataClient odata = ODataClientFactory.getClient();
        odata.getConfiguration().setHttpClientFactory(new BasicAuthHttpClientFactory("test-viewer", TestUsers.PASSWORD));
        odata.getConfiguration().setDefaultPubFormat(ContentType.JSON);
        return odata;
    }

    private String serviceRoot() {
        return "http://localhost:" + port + "/odata/v4";
    }

    @Test
    void olingo_reads_the_metadata_with_every_entity_set_and_typed_properties() {
        Edm edm = olingo().getRetrieveRequestFactory().getMetadataRequest(serviceRoot()).execute().getBody();
        List<String> sets = edm.getEntityContainer().getEntitySets().stream().map(EdmEntitySet::getName).toList();
        assertThat(sets).contains("DemandDaily", "DemandWeekly", "DemandMonthly", "Forecasts", "ForecastsByRun",
                "ForecastAccuracy", "LeadTimeAnomalies", "Products", "Locations");
        var daily = edm.getEntityContainer().getEntitySet("DemandDaily").getEntityType();
        assertThat(daily.getKeyPredicateNames()).containsExactly("sku", "location", "day");
        assertThat(daily.getStructuralProperty("day").getType().getFullQualifiedName().toString()).isEqualTo("Edm.Date");
        assertThat(daily.getStructuralProperty("quantity").getType().getKind()).isEqualTo(EdmTypeKind.PRIMITIVE);
    }

    @Test
    void olingo_pages_through_a_filtered_projected_entity_set_following_next_links() {
        // given 20 days of demand of one SKU
        String sku = Seed.unique("ODA");
        Map<LocalDate, Integer> days = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            days.put(LocalDate.parse("2025-01-01").plusDays(i), i + 1);
        }
        Seed.sales(client, sku, "L9", days);

        // when Olingo asks for 15 of them (an incremental-refresh style date range) with two columns
        ODataClient odata = olingo();
        URI uri = odata.newURIBuilder(serviceRoot()).appendEntitySetSegment("DemandDaily")
                .filter("sku eq '" + sku + "' and (day ge 2025-01-05 and day lt 2025-01-20)")
                .select("day", "quantity").build();
        List<ClientEntity> rows = new ArrayList<>();
        int pages = 0;
        while (uri != null) {
            ClientEntitySet page = odata.getRetrieveRequestFactory().getEntitySetRequest(uri).execute().getBody();
            rows.addAll(page.getEntities());
            uri = page.getNext();
            pages++;
        }

        // then it gets them all, in three pages of at most 7, with just the selected properties
        assertThat(pages).isEqualTo(3);
        assertThat(rows).hasSize(15);
        assertThat(rows.getFirst().getProperties()).extracting(p -> p.getName()).containsExactlyInAnyOrder("day", "quantity");
        assertThat(rows).extracting(e -> e.getProperty("day").getValue().toString())
                .startsWith("2025-01-05").endsWith("2025-01-19");
        assertThat(rows.getFirst().getProperty("quantity").getPrimitiveValue().toValue().toString()).isEqualTo("5");
    }

    @Test
    void count_top_skip_and_orderby_work_together() {
        String sku = Seed.unique("ODC");
        Map<LocalDate, Integer> days = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            days.put(LocalDate.parse("2025-02-01").plusDays(i), 10 - i);
        }
        Seed.sales(client, sku, "L1", days);
        client.get().uri(uri("/odata/v4/DemandDaily?$filter=sku eq '" + sku + "'&$orderby=quantity desc&$top=2&$skip=1&$count=true"))
                .headers(TestUsers.as("viewer")).exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$['@odata.count']").isEqualTo(5)
                .jsonPath("$.value.length()").isEqualTo(2)
                .jsonPath("$.value[0].quantity").isEqualTo(9)
                .jsonPath("$['@odata.nextLink']").doesNotExist();
        client.get().uri(uri("/odata/v4/DemandDaily/$count?$filter=sku eq '" + sku + "'")).headers(TestUsers.as("viewer"))
                .exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("5");
    }

    @Test
    void injection_attempts_and_unsupported_syntax_in_filter_and_orderby_are_400_problems() {
        for (String query : List.of(
                "$filter=sku eq 'A' or 1 eq 1",
                "$filter=sku eq 'A'; DROP TABLE demand_daily",
                "$filter=sku eq 'A' --",
                "$filter=contains(sku,'A')",
                "$filter=sku eq concat('A','B')",
                "$filter=quantity add 1 gt 2",
                "$filter=day ge '2025-01-01'",
                "$filter=quantity eq 'ten'",
                "$filter=(sku eq 'A'",
                "$filter=not sku eq 'A'",
                "$orderby=sku; DROP TABLE demand_daily",
                "$orderby=sleep(3)",
                "$orderby=sku desc, (select 1)",
                "$select=sku,(select 1)",
                "$select=password_hash",
                "$expand=Products",
                "$top=-1",
                "$skip=abc",
                "$format=xml")) {
            client.get().uri(uri("/odata/v4/DemandDaily?" + query)).headers(TestUsers.as("viewer")).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
    }

    @Test
    void sql_inside_a_string_literal_is_only_a_value_that_matches_nothing() {
        String sku = Seed.unique("ODS");
        Seed.sales(client, sku, "L1", Map.of(LocalDate.parse("2025-05-01"), 1));
        client.get().uri(uri("/odata/v4/DemandDaily?$filter=sku eq 'x'') OR 1=1; DROP TABLE demand_daily; --'"))
                .headers(TestUsers.as("viewer")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.value.length()").isEqualTo(0);
        client.get().uri(uri("/odata/v4/DemandDaily?$filter=sku eq '" + sku + "'")).headers(TestUsers.as("viewer"))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.value.length()").isEqualTo(1);
    }

    @Test
    void unknown_entity_sets_are_404_and_the_service_document_lists_the_sets() {
        client.get().uri("/odata/v4/UserAccounts").headers(TestUsers.as("viewer")).exchange().expectStatus().isNotFound();
        client.get().uri("/odata/v4/").headers(TestUsers.as("viewer")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.value[?(@.name=='DemandDaily')].url").isEqualTo("DemandDaily");
    }

    private URI uri(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        StringBuilder encoded = new StringBuilder(pathAndQuery.substring(0, q + 1));
        for (String part : pathAndQuery.substring(q + 1).split("&")) {
            int eq = part.indexOf('=');
            encoded.append(UriUtils.encodeQueryParam(part.substring(0, eq), StandardCharsets.UTF_8)).append('=')
                    .append(UriUtils.encode(part.substring(eq + 1), StandardCharsets.UTF_8)).append('&');
        }
        return URI.create("http://localhost:" + port + encoded.substring(0, encoded.length() - 1));
    }
}

package io.refinery.api.dashboard;

import io.refinery.api.ApiTest;
import io.refinery.api.Seed;
import io.refinery.api.TestUsers;
import io.refinery.warehouse.accounts.UserAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's demand totals: summed by the warehouse per period, equal to the per-series history added up. */
@ApiTest
class DemandTotalsTest {

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
    void totals_sum_every_series_per_day_week_and_month_and_match_the_per_series_history() {
        // given two SKUs at two locations in March 2011 (Tuesday 1st to Monday 14th)
        String a = Seed.unique("TOTA");
        String b = Seed.unique("TOTB");
        Seed.sales(client, a, "L1", Map.of(LocalDate.parse("2011-03-01"), 2, LocalDate.parse("2011-03-07"), 3));
        Seed.sales(client, a, "L2", Map.of(LocalDate.parse("2011-03-01"), 5));
        Seed.sales(client, b, "L1", Map.of(LocalDate.parse("2011-03-07"), 7, LocalDate.parse("2011-03-14"), 1));

        // then one SKU's totals add its locations per day
        assertThat(totals("grain=day&sku=" + a + "&from=2011-03-01&to=2011-03-31"))
                .containsExactly(Map.entry("2011-03-01", "7"), Map.entry("2011-03-07", "3"));
        // and per Monday week and per month
        assertThat(totals("grain=week&sku=" + b + "&from=2011-03-01&to=2011-03-31"))
                .containsExactly(Map.entry("2011-03-07", "7"), Map.entry("2011-03-14", "1"));
        assertThat(totals("grain=month&location=L1&sku=" + a + "&from=2011-03-01&to=2011-03-31"))
                .containsExactly(Map.entry("2011-03-01", "5"));
        // and without filters, every series of the window (whatever other tests wrote) equals the history added up
        Map<String, String> all = totals("grain=day&from=2011-03-01&to=2011-03-14");
        assertThat(all).containsKeys("2011-03-01", "2011-03-07", "2011-03-14");
        assertThat(all).isEqualTo(historyAddedUp("grain=day&from=2011-03-01&to=2011-03-14&limit=100000"));
    }

    @Test
    void the_window_defaults_to_the_last_days_up_to_today_and_bad_input_is_a_problem_naming_the_field() {
        client.get().uri(DashboardSummaryController.PATH + "?days=57").headers(TestUsers.as("viewer")).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.grain").isEqualTo("day")
                .jsonPath("$.to").isEqualTo(LocalDate.now(java.time.ZoneOffset.UTC).toString())
                .jsonPath("$.from").isEqualTo(LocalDate.now(java.time.ZoneOffset.UTC).minusDays(56).toString());
        client.get().uri(DashboardSummaryController.PATH + "?grain=hour").headers(TestUsers.as("viewer")).exchange()
                .expectStatus().isBadRequest().expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("grain");
        client.get().uri(DashboardSummaryController.PATH + "?from=2011-03-02&to=2011-03-01").headers(TestUsers.as("viewer"))
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("to");
        client.get().uri(DashboardSummaryController.PATH + "?days=0").headers(TestUsers.as("viewer")).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("days");
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> totals(String query) {
        Map<String, Object> answer = client.get().uri(DashboardSummaryController.PATH + "?" + query)
                .headers(TestUsers.as("viewer")).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        Map<String, String> byPeriod = new LinkedHashMap<>();
        for (Map<String, Object> total : (List<Map<String, Object>>) answer.get("totals")) {
            byPeriod.put((String) total.get("period"), new BigDecimal(total.get("quantity").toString()).toPlainString());
        }
        return byPeriod;
    }

    private Map<String, String> historyAddedUp(String query) {
        List<Map<String, Object>> rows = client.get().uri("/api/v1/demand?" + query).headers(TestUsers.as("viewer"))
                .exchange().expectStatus().isOk().expectBody(ROWS).returnResult().getResponseBody();
        Map<String, BigDecimal> sums = new TreeMap<>();
        rows.forEach(r -> sums.merge((String) r.get("period"), new BigDecimal(r.get("quantity").toString()), BigDecimal::add));
        Map<String, String> byPeriod = new LinkedHashMap<>();
        sums.forEach((period, sum) -> byPeriod.put(period, sum.stripTrailingZeros().toPlainString()));
        return byPeriod;
    }
}

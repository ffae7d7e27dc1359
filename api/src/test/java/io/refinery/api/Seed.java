package io.refinery.api;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

/** Test data, through the real upload endpoint and the ingestion path (never written around it). */
public final class Seed {

    private Seed() {
    }

    /** A code no other test uses. */
    public static String unique(String prefix) {
        return (prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toUpperCase();
    }

    /** Uploads sales lines (one per day and quantity) as CSV as a planner; returns the answer. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> sales(WebTestClient client, String sku, String location, Map<LocalDate, Integer> quantities) {
        StringBuilder csv = new StringBuilder("line_id,sku,location,quantity,unit_price,ordered_at,channel\n");
        quantities.forEach((day, quantity) -> csv.append(sku).append('-').append(location).append('-').append(day)
                .append(',').append(sku).append(',').append(location).append(',').append(quantity).append(",2.50,")
                .append(day).append("T10:00:00Z,web\n"));
        return client.post().uri("/api/v1/datasets/sales-order-lines")
                .headers(TestUsers.as("planner"))
                .contentType(new MediaType("text", "csv"))
                .bodyValue(csv.toString())
                .exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
    }
}

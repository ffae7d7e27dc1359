package io.refinery.api.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refinery.api.ApiTest;
import io.refinery.api.Seed;
import io.refinery.api.TestUsers;
import io.refinery.warehouse.accounts.UserAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Columns tagged pii in the suppliers contract: masked for viewers and planners, visible to admins. */
@ApiTest
class PiiMaskingApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

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
    void supplier_contact_data_is_masked_below_admin_in_supplier_reads_raw_payloads_and_the_quarantine() throws Exception {
        // given suppliers with a contact person's e-mail (contract v2), one of them with an e-mail too long to accept
        String code = Seed.unique("SUP");
        String csv = "supplier,name,country,contact_email\n"
                + code + ",Jana Novak,cz,Jana.Novak@Example.com\n"
                + code + "X,Acme GmbH,de,\n"
                + code + "Y,Piet de Vries,nl," + "p".repeat(260) + "@example.com\n";
        @SuppressWarnings("unchecked")
        Map<String, Object> upload = client.post().uri("/api/v1/datasets/suppliers").headers(TestUsers.as("planner"))
                .contentType(new MediaType("text", "csv")).bodyValue(csv).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(upload.get("accepted")).as(upload.toString()).isEqualTo(2);
        assertThat(upload.get("quarantined")).isEqualTo(1);
        String batchId = (String) upload.get("batchId");

        // when a viewer and a planner read suppliers, then name and contact e-mail are masked, the rest is not
        for (String role : new String[] {"viewer", "planner"}) {
            JsonNode page = get("/api/v1/suppliers?limit=10000", role);
            assertThat(page.path("masked").toString()).contains("name", "contact_email");
            JsonNode jana = supplier(page, code);
            assertThat(jana.path("name").asText()).isEqualTo("***");
            assertThat(jana.path("contact_email").asText()).isEqualTo("***");
            assertThat(jana.path("country").asText()).isEqualTo("CZ");
            assertThat(supplier(page, code + "X").path("contact_email").asText()).as("empty stays empty").isEmpty();
        }
        // and an admin sees them, cleaned (the contract lower-cases e-mails)
        JsonNode admin = get("/api/v1/suppliers?limit=10000", "admin");
        assertThat(admin.path("masked").isEmpty()).isTrue();
        assertThat(supplier(admin, code).path("name").asText()).isEqualTo("Jana Novak");
        assertThat(supplier(admin, code).path("contact_email").asText()).isEqualTo("jana.novak@example.com");

        // when they read the raw payloads of the batch, the same holds for the data as received
        JsonNode viewerRaw = get("/api/v1/lineage/raw-batches/" + batchId + "/records", "viewer");
        assertThat(viewerRaw.path("rows")).hasSize(3);
        assertThat(viewerRaw.path("rows").toString()).doesNotContain("Jana", "Novak", "Piet", "example.com");
        assertThat(viewerRaw.path("rows").get(0).path("country").asText()).isEqualTo("cz");
        JsonNode adminRaw = get("/api/v1/lineage/raw-batches/" + batchId + "/records", "admin");
        assertThat(adminRaw.path("rows").get(0).path("contact_email").asText()).isEqualTo("Jana.Novak@Example.com");

        // and the quarantine never holds the refused personal value, for anyone (the original stays in raw)
        for (String role : new String[] {"viewer", "admin"}) {
            JsonNode quarantine = get("/api/v1/quarantine?routeId=upload-suppliers&batchId=" + batchId, role);
            assertThat(quarantine).hasSize(1);
            assertThat(quarantine.get(0).path("field").asText()).isEqualTo("contact_email");
            assertThat(quarantine.get(0).toString()).doesNotContain("pppp");
        }
    }

    private JsonNode get(String uri, String role) throws Exception {
        var result = client.get().uri(uri).headers(TestUsers.as(role)).exchange().expectBody(String.class).returnResult();
        assertThat(result.getStatus().value()).as(uri + " → " + result.getResponseBody()).isEqualTo(200);
        return JSON.readTree(result.getResponseBody());
    }

    private static JsonNode supplier(JsonNode page, String code) {
        for (JsonNode row : page.path("rows")) {
            if (row.path("supplier").asText().equals(code)) {
                return row;
            }
        }
        throw new AssertionError("supplier " + code + " not in " + page);
    }
}

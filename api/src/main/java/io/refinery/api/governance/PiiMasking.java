package io.refinery.api.governance;

import io.refinery.ingestion.Entity;
import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.contract.FieldSpec;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Component;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Masks the columns the data contracts tag {@code pii} for every caller below admin. The contract is
 * the single place that says what is personal: tagging a field there masks it in every API read that
 * goes through here, without a code change. Source spellings (aliases) are masked too, since raw
 * payloads keep the column names the source used.
 */
@Component
class PiiMasking {

    static final String MASK = "***";
    static final String PII = "pii";

    private final org.springframework.beans.factory.ObjectProvider<Ingestion> ingestion;

    PiiMasking(org.springframework.beans.factory.ObjectProvider<Ingestion> ingestion) {
        this.ingestion = ingestion;
    }

    /** Admins see personal data; everyone else (viewer, planner, tokens) sees it masked. */
    static boolean seesPii(Principal principal) {
        return principal instanceof Authentication auth && auth.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority).anyMatch("ROLE_ADMIN"::equals);
    }

    /** Field names (lower case, with aliases) tagged pii in the entity's active contract. */
    Set<String> piiFields(Entity entity) {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        Ingestion facade = ingestion.getIfAvailable();
        if (facade == null) {
            throw new IllegalStateException("the ingestion module is not running; cannot tell personal data apart");
        }
        for (FieldSpec field : facade.contract(entity).fields()) {
            if (field.tagged(PII)) {
                names.add(field.name());
                names.addAll(field.aliases());
            }
        }
        return names;
    }

    <V> Map<String, Object> mask(Map<String, V> row, Set<String> pii, Principal principal) {
        Map<String, Object> result = new LinkedHashMap<>(row);
        if (!seesPii(principal)) {
            result.replaceAll((column, value) -> pii.contains(column) && value != null && !"".equals(value) ? MASK : value);
        }
        return result;
    }
}

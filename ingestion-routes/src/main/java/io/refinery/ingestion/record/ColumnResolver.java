package io.refinery.ingestion.record;

import io.refinery.ingestion.DriftFinding;
import io.refinery.ingestion.contract.ContractEngine;
import io.refinery.ingestion.contract.DataContract;
import io.refinery.ingestion.contract.FieldSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps source column names to contract fields (explicit mapping, then normalised name, then the
 * contract's aliases) and detects name drift: new, missing and renamed columns. A rename is a
 * missing field and a new column whose names are close (edit distance ≤ 2 or one contains the other).
 */
final class ColumnResolver {

    /** How the columns of one batch map to the contract, and what drifted. */
    record Resolution(Map<String, String> fieldByColumn, List<DriftFinding> findings) {
    }

    private ColumnResolver() {
    }

    static String normalizedName(String column) {
        String n = column.strip();
        if (!n.isEmpty() && n.charAt(0) == '\uFEFF') {
            n = n.substring(1).strip();
        }
        return n.toLowerCase(Locale.ROOT).replaceAll("[\\s\\-./]+", "_");
    }

    static Resolution resolve(DataContract contract, Set<String> columns, Map<String, String> mapping) {
        Map<String, String> byName = new HashMap<>();
        for (FieldSpec field : contract.fields()) {
            byName.put(field.name(), field.name());
            field.aliases().forEach(a -> byName.put(normalizedName(a), field.name()));
        }
        Map<String, String> fieldByColumn = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String column : columns) {
            if (column.startsWith("_")) {
                continue;
            }
            String field = mapping.get(column);
            if (field == null) {
                field = byName.get(normalizedName(column));
            }
            if (field != null && contract.field(field).isPresent() && !fieldByColumn.containsValue(field)) {
                fieldByColumn.put(column, field);
            } else {
                unknown.add(column);
            }
        }
        Set<String> missing = new LinkedHashSet<>(contract.fieldNames());
        missing.removeAll(fieldByColumn.values());
        List<DriftFinding> findings = new ArrayList<>();
        for (String column : unknown) {
            String renamedTo = missing.stream().filter(f -> close(normalizedName(column), f)).findFirst().orElse(null);
            if (renamedTo != null) {
                missing.remove(renamedTo);
                fieldByColumn.put(column, renamedTo);
                findings.add(new DriftFinding(DriftFinding.RENAMED_COLUMN, column, "looks like field " + renamedTo));
            } else {
                findings.add(new DriftFinding(DriftFinding.NEW_COLUMN, column, "not in contract " + contract.id()));
            }
        }
        for (String field : missing) {
            boolean required = contract.field(field).map(FieldSpec::required).orElse(false);
            findings.add(new DriftFinding(DriftFinding.MISSING_COLUMN, field,
                    (required ? "required" : "optional") + " field absent from the source"));
        }
        return new Resolution(fieldByColumn, List.copyOf(findings));
    }

    /** The record with canonical field names; unmapped columns dropped (they stay in raw). */
    static Map<String, String> canonical(Map<String, String> record, Map<String, String> fieldByColumn) {
        Map<String, String> out = new HashMap<>(fieldByColumn.size() + 2);
        for (Map.Entry<String, String> e : record.entrySet()) {
            String field = fieldByColumn.get(e.getKey());
            if (field != null) {
                out.put(field, e.getValue());
            } else if (e.getKey().equals(ContractEngine.MALFORMED_MARKER)) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private static boolean close(String a, String b) {
        if (a.length() >= 3 && b.length() >= 3 && (a.contains(b) || b.contains(a))) {
            return true;
        }
        return distance(a, b) <= 2 && Math.min(a.length(), b.length()) > 3;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1),
                        prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}

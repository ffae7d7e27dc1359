package io.refinery.ingestion.contract;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads a contract from its YAML text, rejecting anything it does not understand. */
public final class ContractParser {

    private static final Set<String> CONTRACT_KEYS = Set.of("entity", "version", "description", "key", "fields");
    private static final Set<String> FIELD_KEYS = Set.of("name", "type", "required", "maxLength", "min", "max",
            "allowed", "synonyms", "normalize", "aliases", "tags", "default", "notBefore", "maxFutureDays",
            "description");
    private static final Set<String> NORMALIZERS = Set.of("trim", "upper", "lower", "collapse-spaces");

    private ContractParser() {
    }

    public static DataContract parse(String yamlText) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yamlText);
        if (!(root instanceof Map<?, ?> map)) {
            throw new ContractException("a contract is a YAML mapping");
        }
        unknownKeys(map, CONTRACT_KEYS, "contract");
        String entity = text(map.get("entity"), "entity");
        int version = ((Number) required(map.get("version"), "version")).intValue();
        List<String> key = strings(required(map.get("key"), "key"));
        List<FieldSpec> fields = new ArrayList<>();
        for (Object f : (List<?>) required(map.get("fields"), "fields")) {
            fields.add(field((Map<?, ?>) f));
        }
        DataContract contract = new DataContract(entity, version, map.get("description") == null ? "" : String.valueOf(map.get("description")),
                key, List.copyOf(fields));
        for (String k : key) {
            FieldSpec spec = contract.field(k).orElseThrow(() -> new ContractException(
                    contract.id() + ": key field " + k + " is not a field"));
            if (!spec.required()) {
                throw new ContractException(contract.id() + ": key field " + k + " must be required");
            }
        }
        return contract;
    }

    private static FieldSpec field(Map<?, ?> map) {
        unknownKeys(map, FIELD_KEYS, "field");
        String name = text(map.get("name"), "field name");
        FieldType type;
        try {
            type = FieldType.valueOf(text(map.get("type"), name + ".type").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ContractException(name + ": unknown type " + map.get("type"));
        }
        List<String> normalize = map.containsKey("normalize") ? strings(map.get("normalize")) : List.of();
        for (String n : normalize) {
            if (!NORMALIZERS.contains(n)) {
                throw new ContractException(name + ": unknown normalizer " + n);
            }
        }
        Set<String> allowed = map.containsKey("allowed") ? new LinkedHashSet<>(strings(map.get("allowed"))) : Set.of();
        if (type == FieldType.ENUM && allowed.isEmpty()) {
            throw new ContractException(name + ": an enum needs allowed values");
        }
        Map<String, String> synonyms = new LinkedHashMap<>();
        if (map.get("synonyms") instanceof Map<?, ?> s) {
            s.forEach((k, v) -> synonyms.put(String.valueOf(k), String.valueOf(v)));
        }
        int maxLength = map.containsKey("maxLength") ? ((Number) map.get("maxLength")).intValue() : 256;
        return new FieldSpec(name, type, Boolean.TRUE.equals(map.get("required")), maxLength,
                decimal(map.get("min")), decimal(map.get("max")), Set.copyOf(allowed), Map.copyOf(synonyms),
                List.copyOf(normalize), map.containsKey("aliases") ? strings(map.get("aliases")) : List.of(),
                map.containsKey("tags") ? Set.copyOf(strings(map.get("tags"))) : Set.of(),
                map.get("default") == null ? null : String.valueOf(map.get("default")),
                isoDate(map.get("notBefore")),
                map.get("maxFutureDays") == null ? null : ((Number) map.get("maxFutureDays")).intValue());
    }

    private static void unknownKeys(Map<?, ?> map, Set<String> known, String what) {
        for (Object k : map.keySet()) {
            if (!known.contains(String.valueOf(k))) {
                throw new ContractException("unknown " + what + " property '" + k + "'");
            }
        }
    }

    /** YAML reads an unquoted 2000-01-01 as a timestamp; the contract means a date. */
    private static String isoDate(Object value) {
        if (value instanceof java.util.Date date) {
            return date.toInstant().atZone(java.time.ZoneOffset.UTC).toLocalDate().toString();
        }
        return value == null ? null : java.time.LocalDate.parse(String.valueOf(value)).toString();
    }

    private static BigDecimal decimal(Object value) {
        return value == null ? null : new BigDecimal(String.valueOf(value));
    }

    private static Object required(Object value, String what) {
        if (value == null) {
            throw new ContractException("contract needs " + what);
        }
        return value;
    }

    private static String text(Object value, String what) {
        String s = String.valueOf(required(value, what)).strip();
        if (s.isEmpty()) {
            throw new ContractException("contract needs " + what);
        }
        return s;
    }

    private static List<String> strings(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(value));
    }
}

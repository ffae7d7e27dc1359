package io.refinery.ingestion.contract;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One field of a data contract.
 *
 * @param name          canonical field name (also the default CSV header)
 * @param type          declared type
 * @param required      a blank value is a violation (unless {@code defaultValue} is set)
 * @param maxLength     longest accepted text, in characters
 * @param min           smallest accepted number (inclusive), or null
 * @param max           largest accepted number (inclusive), or null
 * @param allowed       accepted values of an enum, after normalisation
 * @param synonyms      source spellings mapped to a canonical value (units, channels), after normalisation
 * @param normalize     transforms applied before validation: trim (always), upper, lower, collapse-spaces
 * @param aliases       other column names that mean this field (renames known in advance)
 * @param tags          column tags, e.g. {@code pii}: its values are masked in the quarantine
 * @param defaultValue  value used when the field is blank
 * @param notBefore     earliest accepted date or date-time (ISO date), or null
 * @param maxFutureDays latest accepted date or date-time, in days after now, or null
 */
public record FieldSpec(String name, FieldType type, boolean required, int maxLength, BigDecimal min, BigDecimal max,
                        Set<String> allowed, Map<String, String> synonyms, List<String> normalize,
                        List<String> aliases, Set<String> tags, String defaultValue, String notBefore,
                        Integer maxFutureDays) {

    public boolean tagged(String tag) {
        return tags.contains(tag);
    }
}

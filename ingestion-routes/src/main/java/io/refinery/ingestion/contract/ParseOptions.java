package io.refinery.ingestion.contract;

import java.time.ZoneId;

/**
 * How a source writes its values: the zone of date-times without one, and optional explicit
 * date / date-time patterns (e.g. {@code dd.MM.yyyy}) tried before the ISO forms.
 */
public record ParseOptions(ZoneId zone, String datePattern, String dateTimePattern) {

    public static final ParseOptions UTC = new ParseOptions(ZoneId.of("UTC"), null, null);
}

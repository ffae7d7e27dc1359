package io.refinery.ops.quality;

import java.util.Locale;

/** A failing blocking check halts what depends on the table; a failing warning check is reported only. */
public enum Severity {
    BLOCKING, WARNING;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}

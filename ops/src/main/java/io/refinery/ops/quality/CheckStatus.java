package io.refinery.ops.quality;

/** PASS; WARN: a warning check failed; FAIL: a blocking check failed; ERROR: the check could not be measured. */
public enum CheckStatus {
    PASS, WARN, FAIL, ERROR
}

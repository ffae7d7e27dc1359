package io.refinery.warehouse.api;

/** The period of demand history; weeks start on Monday. */
public enum DemandGrain {
    DAY(ServedTable.DEMAND_DAILY, "day"),
    WEEK(ServedTable.DEMAND_WEEKLY, "week"),
    MONTH(ServedTable.DEMAND_MONTHLY, "month");

    private final ServedTable table;
    private final String periodColumn;

    DemandGrain(ServedTable table, String periodColumn) {
        this.table = table;
        this.periodColumn = periodColumn;
    }

    public ServedTable table() {
        return table;
    }

    public String periodColumn() {
        return periodColumn;
    }
}

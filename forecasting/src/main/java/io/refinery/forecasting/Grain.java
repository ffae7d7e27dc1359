package io.refinery.forecasting;

/** The period a forecast is made in. Weeks start on Monday. */
public enum Grain {
    DAY(7), WEEK(52), MONTH(12);

    private final int seasonalPeriod;

    Grain(int seasonalPeriod) {
        this.seasonalPeriod = seasonalPeriod;
    }

    /** The main seasonal cycle of demand at this grain (weekly for days, yearly otherwise). */
    public int seasonalPeriod() {
        return seasonalPeriod;
    }
}

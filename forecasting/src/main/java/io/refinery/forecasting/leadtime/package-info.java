/**
 * Lead-time anomaly detection: an Isolation Forest implemented as a Tribuo
 * {@link org.tribuo.Trainer}/{@link org.tribuo.Model} pair for {@link org.tribuo.anomaly.Event}, and
 * {@link io.refinery.forecasting.leadtime.LeadTimeAnomalyDetector}, which scores purchase-order
 * receipts as they land against the point-in-time lead-time history of their supplier and lane.
 */
package io.refinery.forecasting.leadtime;

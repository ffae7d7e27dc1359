/**
 * Demo data: a deterministic-by-seed generator of a realistic supply chain (reference data, sales
 * with seasonality and promotions, purchase orders and receipts with supplier lead times and
 * labelled late-delivery anomalies, IoT readings), as a streamed history or a live feed of upload
 * records keyed by the canonical field names. Plain Java; the entry point is
 * {@link io.refinery.ops.demo.DemoSupplyChain}.
 */
package io.refinery.ops.demo;

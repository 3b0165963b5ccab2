package dev.twikitorders.enricher.config;

/** How the pipeline calls Twikit ({@code enrichment.mode}). */
public enum EnrichmentMode {
  /** Many calls in flight per task; outputs in input order (the default). */
  ASYNC,
  /** Blocking calls on the stream thread, one line after the other: the baseline. */
  SYNC
}

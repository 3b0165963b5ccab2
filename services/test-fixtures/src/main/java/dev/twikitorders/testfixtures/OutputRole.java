package dev.twikitorders.testfixtures;

/** What an output topic of the pipeline holds; {@link OutputTopicsReader} tags every record. */
public enum OutputRole {
  /** ERP configuration summaries. */
  ERP,
  /** Fulfillment configurations. */
  FULFILLMENT,
  /** Dead letters. */
  DEAD_LETTER
}

/**
 * Test fixtures shared by the integration tests, the demo and the benchmark: {@link
 * dev.twikitorders.testfixtures.OutputTopicsReader} reads the pipeline's output topics back the way
 * a downstream {@code read_committed} consumer sees them.
 */
package dev.twikitorders.testfixtures;

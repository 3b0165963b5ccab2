/** In-memory schema registry selected by {@code mock://<scope>} URLs, for tests. */
package dev.twikitorders.registry.mock;

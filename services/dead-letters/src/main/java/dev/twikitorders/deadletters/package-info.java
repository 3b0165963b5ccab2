/**
 * Reading a dead-letter topic of {@link dev.twikitorders.schemas.DeadLetter} records, shared by the
 * deployables' {@code dlq} commands: {@link dev.twikitorders.deadletters.DeadLetterFilter} (which
 * dead letters) and its picocli mixin {@link dev.twikitorders.deadletters.DeadLetterFilterOptions},
 * {@link dev.twikitorders.deadletters.DeadLetterScan} (a bounded read between offsets captured
 * once, with a consumer that joins no group and commits nothing) and {@link
 * dev.twikitorders.deadletters.DeadLetterListing} ({@code dlq list} and its table). An operator's
 * mistake in a flag or value is a {@link dev.twikitorders.deadletters.DeadLetterUsageException}
 * naming the flag (exit code 2 by convention). Re-driving stays with each application.
 *
 * <p>Threading: the filter, the listing and the usage exception are immutable; a scan and the
 * options are not thread-safe and belong to the one job thread that uses them, as does the Kafka
 * consumer handed to them.
 */
package dev.twikitorders.deadletters;

package dev.twikitorders.twikit.model;

import java.math.BigDecimal;

/**
 * A price; {@code amount} arrives as a decimal string and is kept exact.
 *
 * <p>Thread-safety: immutable and thread-safe.
 *
 * @param amount the amount, e.g. 129.95
 * @param currency ISO 4217 code
 */
public record Price(BigDecimal amount, String currency) {}

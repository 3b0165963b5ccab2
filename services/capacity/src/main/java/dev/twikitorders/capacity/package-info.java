/**
 * How an HTTP client finds and respects a server's capacity: {@link
 * dev.twikitorders.capacity.ConcurrencyLimiter} (calls in flight, adaptive between a floor and a
 * ceiling, or fixed) and {@link dev.twikitorders.capacity.RateGate} (requests per second, lowered
 * for every caller on 429). Neither blocks a thread; both hand out futures. No Kafka, no HTTP
 * library: callers report their outcomes.
 */
package dev.twikitorders.capacity;

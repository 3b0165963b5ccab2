/**
 * {@link dev.twikitorders.testfixtures.compose.ComposeFile}: {@code docker-compose.yml} read the
 * way {@code docker compose} sees it without a {@code .env}, for the compose tests of the order
 * enricher and the delivery service.
 */
package dev.twikitorders.testfixtures.compose;

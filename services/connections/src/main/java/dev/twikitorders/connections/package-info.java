/**
 * How our applications reach Kafka and the schema registry, shared by the order enricher and the
 * delivery service: {@link dev.twikitorders.connections.KafkaConnection} ({@code
 * kafka.bootstrap.servers}, the {@code kafka.*} pass-through and the client configurations built
 * from them) and {@link dev.twikitorders.connections.RegistrySettings} ({@code schema.registry.*}).
 * Settings only: no client is created here.
 */
package dev.twikitorders.connections;

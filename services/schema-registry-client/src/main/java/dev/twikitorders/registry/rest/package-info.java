/**
 * {@link dev.twikitorders.registry.SchemaRegistryClient} over the Confluent Schema Registry REST
 * API.
 */
package dev.twikitorders.registry.rest;

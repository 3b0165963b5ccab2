/**
 * Client for the Confluent Schema Registry REST API and Avro serdes for the Confluent wire format.
 */
package dev.twikitorders.registry;

/**
 * Avro Kafka serializers and deserializers in the Confluent wire format (magic byte, 4-byte schema
 * id, Avro binary).
 */
package dev.twikitorders.registry.serde;

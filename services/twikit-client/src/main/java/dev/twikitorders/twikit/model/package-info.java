/**
 * Immutable value types (records) of the Twikit REST API, parsed leniently: unknown JSON fields are
 * ignored, missing ones are null. Wire shapes: {@code docs/twikit-api.md}.
 */
package dev.twikitorders.twikit.model;

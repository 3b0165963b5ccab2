package dev.twikitorders.twikit.model;

/**
 * A production resource or file reference of a configuration. Missing fields are null.
 *
 * <p>Thread-safety: immutable and thread-safe.
 *
 * @param name the resource name, e.g. {@code model}
 * @param url where to fetch it
 * @param type e.g. {@code stl}
 */
public record Resource(String name, String url, String type) {}

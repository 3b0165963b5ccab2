package dev.twikitorders.sandbox.data;

/**
 * The encoded JSON replies of one configuration, computed once and shared by every request.
 * Immutable by convention: the arrays are never written after construction and never handed to code
 * that could change them (the HTTP layer wraps them read-only).
 */
public record Rendered(
    String uuid,
    byte[] configuration,
    byte[] compatibility,
    byte[] summary,
    byte[] parameters,
    byte[] filtered) {}

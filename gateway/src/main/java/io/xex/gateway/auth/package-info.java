/**
 * Signed requests: the canonical parameter string, API keys (HMAC-SHA256 secrets and Ed25519 public keys)
 * and the {@link io.xex.gateway.auth.Authenticator} that checks a logon's key, signature, timestamp window
 * and freshness. Pure Java; an authenticator is confined to the connection context that uses it.
 */
package io.xex.gateway.auth;

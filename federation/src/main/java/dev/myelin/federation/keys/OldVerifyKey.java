package dev.myelin.federation.keys;

/**
 * A key this server used to sign with, published in {@code old_verify_keys} of its key document
 * so that events it signed before {@code expiredTs} can still be verified.
 */
public record OldVerifyKey(String keyId, String publicKeyBase64, long expiredTs) {
}

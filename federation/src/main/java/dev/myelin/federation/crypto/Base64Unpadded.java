package dev.myelin.federation.crypto;

import java.util.Base64;

/**
 * Unpadded base64 as Matrix uses it for keys, signatures, hashes and event IDs. Decoding is
 * lenient: padded or unpadded input, with the standard or the URL-safe alphabet.
 */
public final class Base64Unpadded {
    private static final Base64.Encoder STANDARD = Base64.getEncoder().withoutPadding();
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private Base64Unpadded() {
    }

    /** Standard alphabet, no padding. */
    public static String encode(byte[] data) {
        return STANDARD.encodeToString(data);
    }

    /** URL-safe alphabet ({@code -} and {@code _}), no padding. */
    public static String encodeUrlSafe(byte[] data) {
        return URL_SAFE.encodeToString(data);
    }

    /**
     * Decodes padded or unpadded base64 in either alphabet.
     *
     * @throws IllegalArgumentException if the text is not valid base64
     */
    public static byte[] decode(String text) {
        if (text == null) {
            throw new IllegalArgumentException("base64 text is null");
        }
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '=') {
            end--;
        }
        if (text.length() - end > 2) {
            throw new IllegalArgumentException("invalid base64 padding");
        }
        String body = text.substring(0, end);
        boolean urlSafe = body.indexOf('-') >= 0 || body.indexOf('_') >= 0;
        if (urlSafe && (body.indexOf('+') >= 0 || body.indexOf('/') >= 0)) {
            throw new IllegalArgumentException("base64 mixes the standard and URL-safe alphabets");
        }
        if (body.length() % 4 == 1) {
            throw new IllegalArgumentException("invalid base64 length");
        }
        return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(body);
    }
}

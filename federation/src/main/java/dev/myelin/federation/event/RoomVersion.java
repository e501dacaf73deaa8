package dev.myelin.federation.event;

import java.util.Optional;

/**
 * Room versions known to the spec, with the behaviour flags that redaction, event formats and
 * the authorization rules depend on. Myelin creates and joins rooms of the {@linkplain
 * #supported() supported} versions only (10 and 11); the others are known so that their IDs
 * are recognised (e.g. {@code m.room.create} auth rule on {@code content.room_version}).
 */
public enum RoomVersion {
    V1("1", false),
    V2("2", false),
    V3("3", false),
    V4("4", false),
    V5("5", false),
    V6("6", false),
    V7("7", false),
    V8("8", false),
    V9("9", false),
    V10("10", true),
    V11("11", true),
    V12("12", false);

    /** The version of new rooms unless configured otherwise. */
    public static final RoomVersion DEFAULT = V10;

    private final String id;
    private final boolean supported;

    RoomVersion(String id, boolean supported) {
        this.id = id;
        this.supported = supported;
    }

    /** The room version identifier as it appears in {@code m.room.create} ("10"). */
    public String id() {
        return id;
    }

    /** Looks a version up by its identifier. */
    public static Optional<RoomVersion> byId(String id) {
        for (RoomVersion v : values()) {
            if (v.id.equals(id)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** Whether the spec marks this version stable (all of these are). */
    public boolean stable() {
        return true;
    }

    /** Whether Myelin implements this version fully (create, join, auth, redaction). */
    public boolean supported() {
        return supported;
    }

    private boolean atLeast(RoomVersion v) {
        return compareTo(v) >= 0;
    }

    /** Event IDs are chosen by the origin server (v1, v2) rather than derived from the reference hash. */
    public boolean serverGeneratedEventIds() {
        return !atLeast(V3);
    }

    /** Event IDs use URL-safe base64 (v4+); v3 uses standard base64. */
    public boolean urlSafeEventIds() {
        return atLeast(V4);
    }

    /** {@code m.room.create} has {@code content.creator} (v1-v10); from v11 the creator is the sender. */
    public boolean createHasCreator() {
        return !atLeast(V11);
    }

    /** The v11 redaction algorithm (create keeps all content, no origin/membership/prev_state, ...). */
    public boolean v11Redaction() {
        return atLeast(V11);
    }

    /** {@code m.room.redaction} carries {@code redacts} in {@code content} (v11+) rather than at the top level. */
    public boolean redactsInContent() {
        return atLeast(V11);
    }

    /** {@code m.room.aliases} has special auth rules and keeps {@code aliases} on redaction (v1-v5). */
    public boolean specialCaseAliases() {
        return !atLeast(V6);
    }

    /** The {@code knock} join rule and membership are allowed (v7+). */
    public boolean knockAllowed() {
        return atLeast(V7);
    }

    /** The {@code restricted} join rule is allowed and {@code allow} survives redaction (v8+). */
    public boolean restrictedJoinAllowed() {
        return atLeast(V8);
    }

    /** {@code join_authorised_via_users_server} survives redaction of member events (v9+). */
    public boolean joinAuthorisedViaKeptOnRedaction() {
        return atLeast(V9);
    }

    /** The {@code knock_restricted} join rule is allowed (v10+). */
    public boolean knockRestrictedAllowed() {
        return atLeast(V10);
    }

    /** Power level values must be JSON integers, not strings (v10+). */
    public boolean integerPowerLevels() {
        return atLeast(V10);
    }

    /** Canonical JSON is enforced strictly: no floats, integers within range (v6+). */
    public boolean strictCanonicalJson() {
        return atLeast(V6);
    }

    @Override
    public String toString() {
        return id;
    }
}

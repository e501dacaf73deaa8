package dev.myelin.homeserver.service.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.config.HomeserverConfig.Registration;
import dev.myelin.homeserver.http.ErrCode;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.storage.AccountStore;
import dev.myelin.homeserver.storage.DeviceStore;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;

/** Registration, password login and logout. */
public final class AccountService {
    /** What a successful registration or login hands back. */
    public record Session(UserId userId, String accessToken, String deviceId) {
    }

    private static final List<List<String>> REGISTRATION_FLOWS = List.of(List.of("m.login.dummy"));
    private static final int MAX_PASSWORD_LENGTH = 512;

    private final ServerName serverName;
    private final Registration registration;
    private final AccountStore accounts;
    private final DeviceStore devices;
    private final AccessTokens tokens;
    private final PasswordHasher hasher;
    private final UserInteractiveAuth uia;
    private final SecureRandom random = new SecureRandom();

    public AccountService(ServerName serverName, Registration registration, AccountStore accounts,
                          DeviceStore devices, AccessTokens tokens, PasswordHasher hasher, UserInteractiveAuth uia) {
        this.serverName = serverName;
        this.registration = registration;
        this.accounts = accounts;
        this.devices = devices;
        this.tokens = tokens;
        this.hasher = hasher;
        this.uia = uia;
    }

    /** {@code POST /register}: checks the request, runs UIA, creates the account and maybe logs in. */
    public Session register(ObjectNode body, String kind, String remoteIp) {
        if ("guest".equals(kind)) {
            throw new MatrixException(ErrCode.M_GUEST_ACCESS_FORBIDDEN, "Guest access is not enabled.");
        }
        if (kind != null && !"user".equals(kind)) {
            throw MatrixException.invalidParam("Unknown registration kind " + kind);
        }
        if (registration == Registration.CLOSED) {
            throw MatrixException.forbidden("Registration has been disabled.");
        }
        String username = optionalText(body, "username");
        String password = optionalText(body, "password");
        if (password != null && password.length() > MAX_PASSWORD_LENGTH) {
            throw MatrixException.invalidParam("Password too long.");
        }
        UserId userId = username == null ? null : checkAvailable(username);
        uia.require(body.get("auth"), REGISTRATION_FLOWS, (type, auth) -> type.equals("m.login.dummy"));
        if (userId == null) {
            userId = UserId.of(generateLocalpart(), serverName);
        }
        String hash = password == null ? null : hasher.hash(password);
        if (!accounts.createUser(userId, hash, System.currentTimeMillis(), userId.localpart())) {
            throw new MatrixException(ErrCode.M_USER_IN_USE, "User ID already taken.");
        }
        if (body.path("inhibit_login").asBoolean(false)) {
            return new Session(userId, null, null);
        }
        return startSession(userId, optionalText(body, "device_id"),
                optionalText(body, "initial_device_display_name"), remoteIp);
    }

    /** {@code GET /register/available}: the user ID for a free, valid username, or an error. */
    public UserId checkAvailable(String username) {
        String localpart = username.toLowerCase(Locale.ROOT);
        if (!UserId.isValidLocalpart(localpart)) {
            throw new MatrixException(ErrCode.M_INVALID_USERNAME, "User ID can only contain characters a-z, 0-9, or '=_-./+'");
        }
        UserId userId;
        try {
            userId = UserId.of(localpart, serverName);
        } catch (IllegalArgumentException e) {
            throw new MatrixException(ErrCode.M_INVALID_USERNAME, "User ID is too long.");
        }
        if (accounts.userExists(userId)) {
            throw new MatrixException(ErrCode.M_USER_IN_USE, "User ID already taken.");
        }
        return userId;
    }

    /** {@code POST /login} with {@code m.login.password}, in the identifier or the legacy form. */
    public Session login(ObjectNode body, String remoteIp) {
        String type = optionalText(body, "type");
        if (!"m.login.password".equals(type)) {
            throw new MatrixException(ErrCode.M_UNKNOWN, "Unknown login type " + type);
        }
        UserId userId = loginUser(body);
        String password = optionalText(body, "password");
        if (!checkPassword(userId, password)) {
            throw MatrixException.forbidden("Invalid username or password");
        }
        return startSession(userId, optionalText(body, "device_id"),
                optionalText(body, "initial_device_display_name"), remoteIp);
    }

    /** Whether the password is the user's; false for unknown users. */
    public boolean checkPassword(UserId userId, String password) {
        return accounts.passwordHash(userId).map(hash -> hasher.verify(password, hash)).orElse(false);
    }

    /** {@code POST /logout}: revokes the token and deletes its device. */
    public void logout(Requester requester) {
        tokens.evict(devices.deleteDevice(requester.userId(), requester.deviceId()));
        tokens.evict(List.of(requester.tokenHash()));
    }

    /** {@code POST /logout/all}: revokes every token of the user and deletes all devices. */
    public void logoutAll(Requester requester) {
        tokens.evict(devices.deleteAllDevices(requester.userId()));
        tokens.evict(List.of(requester.tokenHash()));
    }

    private Session startSession(UserId userId, String deviceId, String displayName, String remoteIp) {
        String device = deviceId != null ? deviceId : generateDeviceId();
        if (device.length() > 255) {
            throw MatrixException.invalidParam("device_id too long");
        }
        devices.upsertDevice(userId, device, displayName, System.currentTimeMillis(), remoteIp);
        return new Session(userId, tokens.issue(userId, device), device);
    }

    private UserId loginUser(ObjectNode body) {
        JsonNode identifier = body.get("identifier");
        String user;
        if (identifier != null && identifier.isObject()) {
            String idType = identifier.path("type").asText("");
            if (!idType.equals("m.id.user")) {
                throw new MatrixException(ErrCode.M_UNKNOWN, "Unsupported identifier type " + idType);
            }
            user = identifier.path("user").asText(null);
        } else {
            user = optionalText(body, "user");
        }
        if (user == null || user.isEmpty()) {
            throw MatrixException.badJson("Missing user identifier");
        }
        try {
            UserId userId = user.startsWith("@") ? UserId.of(user) : UserId.of(user.toLowerCase(Locale.ROOT), serverName);
            if (!userId.server().equals(serverName)) {
                throw MatrixException.forbidden("Invalid username or password");
            }
            return userId;
        } catch (IllegalArgumentException e) {
            throw MatrixException.forbidden("Invalid username or password");
        }
    }

    private String generateLocalpart() {
        return "u" + Long.toString(System.currentTimeMillis(), 36) + random.nextInt(1_000_000);
    }

    private String generateDeviceId() {
        StringBuilder id = new StringBuilder(10);
        for (int i = 0; i < 10; i++) {
            id.append((char) ('A' + random.nextInt(26)));
        }
        return id.toString();
    }

    static String optionalText(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw MatrixException.badJson("'" + field + "' must be a string");
        }
        return node.asText();
    }
}

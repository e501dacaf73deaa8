package dev.myelin.homeserver.service.account;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.storage.DeviceStore;
import dev.myelin.homeserver.storage.DeviceStore.Device;
import java.util.List;
import java.util.Locale;

/** A user's devices: list, rename, and delete behind password re-authentication. */
public final class DeviceService {
    private static final List<List<String>> DELETE_FLOWS = List.of(List.of("m.login.password"));

    private final DeviceStore devices;
    private final AccessTokens tokens;
    private final AccountService accounts;
    private final UserInteractiveAuth uia;

    public DeviceService(DeviceStore devices, AccessTokens tokens, AccountService accounts, UserInteractiveAuth uia) {
        this.devices = devices;
        this.tokens = tokens;
        this.accounts = accounts;
        this.uia = uia;
    }

    public List<Device> list(Requester requester) {
        return devices.devices(requester.userId());
    }

    public Device get(Requester requester, String deviceId) {
        return devices.device(requester.userId(), deviceId)
                .orElseThrow(() -> MatrixException.notFound("Device not found"));
    }

    public void rename(Requester requester, String deviceId, String displayName) {
        if (!devices.setDisplayName(requester.userId(), deviceId, displayName)) {
            throw MatrixException.notFound("Device not found");
        }
    }

    /** Deletes devices after the user proves their password (user-interactive auth). */
    public void delete(Requester requester, List<String> deviceIds, JsonNode auth) {
        uia.require(auth, DELETE_FLOWS, (type, stage) -> passwordMatches(requester.userId(), stage));
        for (String deviceId : deviceIds) {
            tokens.evict(devices.deleteDevice(requester.userId(), deviceId));
        }
    }

    private boolean passwordMatches(UserId userId, JsonNode stage) {
        JsonNode identifier = stage.path("identifier");
        String user = identifier.isObject() ? identifier.path("user").asText(null) : stage.path("user").asText(null);
        if (user != null && !user.equals(userId.value()) && !user.toLowerCase(Locale.ROOT).equals(userId.localpart())) {
            return false;
        }
        return accounts.checkPassword(userId, stage.path("password").asText(null));
    }
}

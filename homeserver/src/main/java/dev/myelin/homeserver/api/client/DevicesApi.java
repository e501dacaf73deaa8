package dev.myelin.homeserver.api.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.MatrixRequest;
import dev.myelin.homeserver.service.account.DeviceService;
import dev.myelin.homeserver.storage.DeviceStore.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The requester's devices. */
public final class DevicesApi implements ClientApi {
    private record DeviceView(String deviceId, String displayName, Long lastSeenTs, String lastSeenIp) {
        static DeviceView of(Device device) {
            return new DeviceView(device.deviceId(), device.displayName(), device.lastSeenTs(), device.lastSeenIp());
        }
    }

    private record DeviceList(List<DeviceView> devices) {
    }

    private final DeviceService devices;

    public DevicesApi(DeviceService devices) {
        this.devices = devices;
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.get(V3 + "/devices", request ->
                new DeviceList(devices.list(request.requester()).stream().map(DeviceView::of).toList()));
        routes.get(V3 + "/devices/{deviceId}", request ->
                DeviceView.of(devices.get(request.requester(), request.pathParam("deviceId"))));
        routes.put(V3 + "/devices/{deviceId}", this::rename);
        routes.delete(V3 + "/devices/{deviceId}", request -> {
            devices.delete(request.requester(), List.of(request.pathParam("deviceId")), request.body().get("auth"));
            return Map.of();
        });
        routes.post(V3 + "/delete_devices", this::deleteDevices);
    }

    /** PUT /_matrix/client/v3/devices/{deviceId} */
    private Object rename(MatrixRequest request) {
        JsonNode name = request.body().get("display_name");
        if (name != null && !name.isNull() && !name.isTextual()) {
            throw MatrixException.badJson("display_name must be a string");
        }
        devices.rename(request.requester(), request.pathParam("deviceId"), name == null ? null : name.asText(null));
        return Map.of();
    }

    /** POST /_matrix/client/v3/delete_devices */
    private Object deleteDevices(MatrixRequest request) {
        JsonNode ids = request.body().get("devices");
        if (ids == null || !ids.isArray()) {
            throw MatrixException.badJson("devices must be a list of device IDs");
        }
        List<String> deviceIds = new ArrayList<>();
        ids.forEach(id -> deviceIds.add(id.asText()));
        devices.delete(request.requester(), deviceIds, request.body().get("auth"));
        return Map.of();
    }
}

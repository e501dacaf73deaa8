package dev.myelin.homeserver.service.sync;

/**
 * A {@code /sync} call: since (null for an initial sync), the filter, full_state and timeout.
 */
public record SyncRequest(SyncToken since, SyncFilter filter, boolean fullState, long timeoutMs) {
}

package dev.myelin.homeserver.service.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.storage.StoredEvent;

/**
 * One notification the push rules produced for a user, handed to their pushers once the event is
 * committed.
 *
 * @param user              who is notified
 * @param event             the event that notifies
 * @param tweaks            the {@code set_tweak} actions of the matching rule ({@code sound},
 *                          {@code highlight}, ...), as the Push Gateway API's {@code tweaks}
 * @param unreadCount       the user's notifying unread events over all rooms, including this one
 * @param roomName          the room's name for display, or null
 * @param senderDisplayName the sender's display name in the room, or null
 */
public record PushNotification(UserId user, StoredEvent event, ObjectNode tweaks, long unreadCount, String roomName,
                               String senderDisplayName) {
}

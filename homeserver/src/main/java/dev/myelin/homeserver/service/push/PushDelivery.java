package dev.myelin.homeserver.service.push;

import dev.myelin.federation.id.UserId;

/** Where notifications go after push-rule evaluation: the user's pushers. */
public interface PushDelivery {
    /** Delivers nowhere. */
    PushDelivery NONE = new PushDelivery() {
        @Override
        public boolean wants(UserId user) {
            return false;
        }

        @Override
        public void deliver(PushNotification notification) {
        }
    };

    /**
     * Whether the user has anywhere to deliver to; the notification, whose unread total costs a
     * look at each of the user's rooms, is built only for those who do.
     */
    boolean wants(UserId user);

    /** Queues the notification for the user's pushers; must not block the sender. */
    void deliver(PushNotification notification);
}

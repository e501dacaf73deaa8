package dev.myelin.homeserver.service.push;

/** Where notifications go after push-rule evaluation: the user's pushers. */
public interface PushDelivery {
    /** Delivers nowhere. */
    PushDelivery NONE = notification -> {
    };

    /** Queues the notification for the user's pushers; must not block the sender. */
    void deliver(PushNotification notification);
}

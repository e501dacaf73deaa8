package dev.myelin.federation.transport;

/** One DNS SRV record: {@code priority weight port target}, the target without its trailing dot. */
public record SrvRecord(int priority, int weight, int port, String target) {
}

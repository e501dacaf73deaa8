package dev.myelin.federation.transport;

import java.util.List;

/** Looks up the DNS SRV records of a name such as {@code _matrix-fed._tcp.example.com}. */
@FunctionalInterface
public interface SrvLookup {
    /** The records; empty when there are none or the lookup failed. Never throws. */
    List<SrvRecord> lookup(String name);
}

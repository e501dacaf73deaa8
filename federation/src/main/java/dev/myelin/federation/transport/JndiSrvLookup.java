package dev.myelin.federation.transport;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/** {@link SrvLookup} through the JDK's JNDI DNS provider and the system's DNS servers. */
public final class JndiSrvLookup implements SrvLookup {
    private final int timeoutMillis;

    /** A lookup whose first DNS try waits {@code timeoutMillis}, retried once. */
    public JndiSrvLookup(int timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    public JndiSrvLookup() {
        this(2000);
    }

    @Override
    public List<SrvRecord> lookup(String name) {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put("com.sun.jndi.dns.timeout.initial", Integer.toString(timeoutMillis));
        env.put("com.sun.jndi.dns.timeout.retries", "1");
        List<SrvRecord> records = new ArrayList<>();
        DirContext ctx = null;
        try {
            ctx = new InitialDirContext(env);
            Attribute srv = ctx.getAttributes(name, new String[] {"SRV"}).get("SRV");
            if (srv == null) {
                return List.of();
            }
            NamingEnumeration<?> values = srv.getAll();
            while (values.hasMore()) {
                SrvRecord record = parse(String.valueOf(values.next()));
                if (record != null) {
                    records.add(record);
                }
            }
            return records;
        } catch (NamingException | RuntimeException e) {
            return List.of();
        } finally {
            if (ctx != null) {
                try {
                    ctx.close();
                } catch (NamingException ignored) {
                    // nothing to release
                }
            }
        }
    }

    /** Parses {@code "priority weight port target."}; null when malformed. */
    static SrvRecord parse(String value) {
        String[] parts = value.strip().split("\\s+");
        if (parts.length != 4) {
            return null;
        }
        try {
            String target = parts[3].endsWith(".") ? parts[3].substring(0, parts[3].length() - 1) : parts[3];
            return new SrvRecord(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]),
                    Integer.parseInt(parts[2]), target);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

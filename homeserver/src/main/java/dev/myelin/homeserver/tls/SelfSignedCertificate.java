package dev.myelin.homeserver.tls;

import dev.myelin.federation.id.ServerName;
import dev.myelin.homeserver.config.DataFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObjectGenerator;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * A self-signed EC P-256 certificate for the federation listener, generated once into the data
 * directory as {@code tls.crt} (PEM) and {@code tls.key} (PKCS#8 PEM, mode 600) and reused on later
 * starts. Its subject is {@code CN=<host>}; its subject alternative names are the host (a DNS name, or
 * an IP address for an IP literal), {@code localhost} and {@code 127.0.0.1}; it is valid for ten years.
 */
public final class SelfSignedCertificate {
    static final String CERT_FILE = "tls.crt";
    static final String KEY_FILE = "tls.key";
    private static final Duration VALIDITY = Duration.ofDays(3653);
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private SelfSignedCertificate() {
    }

    /** The pair in {@code dataDir}, generated for {@code serverName}'s host if either file is missing. */
    public static TlsMaterial loadOrGenerate(Path dataDir, ServerName serverName) {
        Path cert = dataDir.resolve(CERT_FILE);
        Path key = dataDir.resolve(KEY_FILE);
        if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
            return TlsMaterial.load(cert, key);
        }
        TlsMaterial material = generate(host(serverName), Instant.now());
        try {
            DataFiles.write(key, pem(new JcaPKCS8Generator(material.privateKey(), null)), true);
            DataFiles.write(cert, pem(new JcaMiscPEMGenerator(material.certificate())), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the self-signed certificate into " + dataDir, e);
        }
        return material;
    }

    /** A new key pair and a certificate for {@code host}, valid from a day before {@code now} for ten years. */
    public static TlsMaterial generate(String host, Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, host).build(),
                    new BigInteger(64, new SecureRandom()).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)),
                    new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, host).build(),
                    pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(host));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate());
            return new TlsMaterial(pair.getPrivate(), List.of(TlsMaterial.certificate(builder.build(signer))));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate a self-signed certificate: " + e.getMessage(), e);
        }
    }

    /** The host part of a server name: without the port, an IPv6 literal without its brackets. */
    static String host(ServerName serverName) {
        String value = serverName.value();
        if (value.startsWith("[")) {
            return value.substring(1, value.indexOf(']'));
        }
        int colon = value.lastIndexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }

    private static GeneralNames alternativeNames(String host) {
        Set<GeneralName> names = new LinkedHashSet<>();
        boolean ip = IPV4.matcher(host).matches() || host.contains(":");
        names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host));
        names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static String pem(PemObjectGenerator object) throws IOException {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }
}

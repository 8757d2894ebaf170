package dev.ledger.events.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Set;

/**
 * An Ed25519 key pair kept in a directory as two text files: the private key (base64 PKCS#8, readable by the owner
 * only) and the public key (base64 X.509). Made on first use; each file is written in full under a temporary name,
 * forced to disk and moved into place, so a crash never leaves half a key. Appliances keep their identity this
 * way, and the ledger its checkpoint key.
 */
public final class KeyFiles {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private KeyFiles() {
  }

  /** The pair kept in {@code dir} under these file names, made there first if there is none. */
  public static KeyPair loadOrCreate(Path dir, String privateFile, String publicFile) {
    try {
      Files.createDirectories(dir);
      Path priv = dir.resolve(privateFile);
      if (!Files.exists(priv)) {
        KeyPair keys = Signing.generateKeyPair();
        writeAtomically(dir.resolve(publicFile), Signing.encodePublicKey(keys.getPublic()), false);
        writeAtomically(priv, Signing.encodePrivateKey(keys.getPrivate()), true);
      }
      PrivateKey privateKey = Signing.decodePrivateKey(Files.readString(priv, StandardCharsets.US_ASCII));
      PublicKey publicKey = readPublic(dir.resolve(publicFile));
      return new KeyPair(publicKey, privateKey);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the key in " + dir, e);
    }
  }

  /** The public key kept in a file (base64 X.509 text). */
  public static PublicKey readPublic(Path file) throws IOException {
    return Signing.decodePublicKey(Files.readString(file, StandardCharsets.US_ASCII));
  }

  private static void writeAtomically(Path target, String text, boolean secret) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      if (secret) {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } else {
        Files.createFile(tmp);
      }
    } catch (FileAlreadyExistsException e) {
      throw new IOException("another process is creating " + target, e);
    }
    Files.writeString(tmp, text, StandardCharsets.US_ASCII);
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
  }
}

package dev.ledger.events;

import java.util.Base64;
import java.util.HexFormat;

/**
 * The ledger signed a checkpoint of a site's evidence log (see {@code dev.ledger.events.merkle.EvidenceLog}):
 * the log named {@code origin} had {@code treeSize} leaves with root {@code rootHash} (lowercase hex). {@code note}
 * is the C2SP signed note as signed, byte for byte: {@code "<origin>\n<tree size>\n<base64 root>\n"}, a blank line
 * and the ledger key's signature line. The envelope's site is the log's site; the note carries the signature, so
 * the envelope has none.
 */
public record EvidenceLogCheckpointed(String origin, long treeSize, String rootHash, String note)
    implements AuditEvent {

  public EvidenceLogCheckpointed {
    Require.text(origin, "origin");
    Require.nonNegative(treeSize, "tree_size");
    Require.sha256Hex(rootHash, "root_hash");
    Require.text(note, "note");
    String body = origin + "\n" + treeSize + "\n"
        + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(rootHash)) + "\n\n";
    if (!note.startsWith(body)) {
      throw new InvalidEventException("note", "must be the signed checkpoint of this origin, size and root");
    }
  }
}

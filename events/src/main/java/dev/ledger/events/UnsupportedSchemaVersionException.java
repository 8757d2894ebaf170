package dev.ledger.events;

/** The event was written with a newer schema version than this code knows; upgrade the reader. */
public final class UnsupportedSchemaVersionException extends EventRejectedException {

  private final String type;
  private final int version;
  private final int supportedVersion;

  public UnsupportedSchemaVersionException(String type, int version, int supportedVersion) {
    super("event type '" + type + "' has schema version " + version
        + ", newer than the supported version " + supportedVersion);
    this.type = type;
    this.version = version;
    this.supportedVersion = supportedVersion;
  }

  public String type() {
    return type;
  }

  public int version() {
    return version;
  }

  public int supportedVersion() {
    return supportedVersion;
  }

  @Override
  public String code() {
    return "unsupported_schema_version";
  }
}

package dev.ledger.api;

/**
 * The one exception root of the API: each subclass is one HTTP status, and {@link ApiServer} turns every one into
 * an RFC 9457 problem document (never a stack trace). The message is the problem's {@code detail}: it names what
 * was wrong, for the caller to fix.
 */
public abstract class ApiException extends RuntimeException {
  private final int status;
  private final String title;

  protected ApiException(int status, String title, String detail) {
    super(detail);
    this.status = status;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public Problem problem() {
    return Problem.of(status, title, getMessage());
  }

  /** 400: a parameter, cursor, id or body the API cannot read. */
  public static final class BadRequest extends ApiException {
    public BadRequest(String detail) {
      super(400, "Bad Request", detail);
    }
  }

  /** 401: no key, an unknown key, or a revoked one. Says which, never whose. */
  public static final class Unauthorized extends ApiException {
    public Unauthorized(String detail) {
      super(401, "Unauthorized", detail);
    }
  }

  /** 404: no such resource, or one of another tenant (the two are never told apart). */
  public static final class NotFound extends ApiException {
    public NotFound(String detail) {
      super(404, "Not Found", detail);
    }
  }

  /** 409: the request conflicts with the resource's current state. */
  public static final class Conflict extends ApiException {
    public Conflict(String detail) {
      super(409, "Conflict", detail);
    }
  }

  /** 413: a body larger than the API accepts. */
  public static final class TooLarge extends ApiException {
    public TooLarge(String detail) {
      super(413, "Content Too Large", detail);
    }
  }

  /** 422: a well-formed request that breaks a domain rule. */
  public static final class Unprocessable extends ApiException {
    public Unprocessable(String detail) {
      super(422, "Unprocessable Content", detail);
    }
  }
}

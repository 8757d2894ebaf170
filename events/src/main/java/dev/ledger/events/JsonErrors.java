package dev.ledger.events;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.stream.Collectors;

/** Turns Jackson's binding failures into an {@link InvalidEventException} that names the wire field. */
final class JsonErrors {

  private JsonErrors() {
  }

  static InvalidEventException invalid(String prefix, JsonMappingException e) {
    String path = join(prefix, pathOf(e));
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof InvalidEventException invalid) {
        return new InvalidEventException(join(path, invalid.field()), invalid.reason());
      }
    }
    return new InvalidEventException(path.isEmpty() ? "(root)" : path, reason(e));
  }

  private static String reason(JsonMappingException e) {
    if (e instanceof UnrecognizedPropertyException) {
      return "is not a field of this event type and version";
    }
    if (e instanceof InvalidFormatException format) {
      return "has an invalid value: " + format.getValue();
    }
    String message = String.valueOf(e.getOriginalMessage());
    if (message.startsWith("Missing ")) {
      return "is missing";
    }
    if (message.startsWith("Cannot map `null`")) {
      return "must not be null";
    }
    return e instanceof MismatchedInputException ? "has the wrong JSON type" : message;
  }

  private static String pathOf(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining())
        .replaceFirst("^\\.", "");
  }

  private static String join(String parent, String child) {
    if (parent.isEmpty()) {
      return child;
    }
    return child.isEmpty() ? parent : parent + (child.startsWith("[") ? "" : ".") + child;
  }
}

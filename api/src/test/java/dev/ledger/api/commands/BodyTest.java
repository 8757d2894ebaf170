package dev.ledger.api.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BodyTest {

  private static Body body(String json, String... allowed) {
    return Body.parse(json.getBytes(StandardCharsets.UTF_8), allowed);
  }

  private static void rejected(Runnable r, Class<? extends ApiException> type, String message) {
    assertThatThrownBy(r::run).isInstanceOf(type).hasMessageContaining(message);
  }

  @Test
  void readsTheFieldsItIsAsked() {
    Body b = body("{\"runbook_id\":\"RB-1\",\"ttl_seconds\":60,\"parameters\":{\"x\":1},\"note\":null}",
        "runbook_id", "ttl_seconds", "parameters", "note");

    assertThat(b.id("runbook_id")).isEqualTo("RB-1");
    assertThat(b.integer("ttl_seconds")).isEqualTo(60);
    assertThat(b.object("parameters").get("x").intValue()).isEqualTo(1);
    assertThat(b.optionalText("note")).isNull();
    assertThat(b.object("absent")).isEmpty();
    assertThat(b.json("absent").isNull()).isTrue();
  }

  @Test
  void anEmptyBodyIsAnEmptyObject() {
    assertThat(body("").optionalText("x")).isNull();
  }

  @Test
  void malformedJsonAndNonObjectsAre400() {
    rejected(() -> body("{not json"), ApiException.BadRequest.class, "not valid JSON");
    rejected(() -> body("[1,2]"), ApiException.BadRequest.class, "must be a JSON object, got array");
    rejected(() -> body("{\"a\":1} {\"b\":2}", "a", "b"), ApiException.BadRequest.class, "not valid JSON");
    rejected(() -> body("{\"a\":1,\"a\":2}", "a"), ApiException.BadRequest.class, "not valid JSON");
  }

  @Test
  void unknownAndMissingFieldsAreNamed() {
    rejected(() -> body("{\"ttl\":5}", "ttl_seconds"), ApiException.BadRequest.class,
        "unknown field 'ttl'; this command takes [ttl_seconds]");
    rejected(() -> body("{\"x\":1}"), ApiException.BadRequest.class, "takes no body fields");
    rejected(() -> body("{}", "runbook_id").id("runbook_id"), ApiException.BadRequest.class,
        "missing field 'runbook_id'");
    rejected(() -> body("{}", "ttl_seconds").integer("ttl_seconds"), ApiException.BadRequest.class,
        "missing field 'ttl_seconds'");
  }

  @Test
  void wrongTypesAre400WithoutCoercion() {
    rejected(() -> body("{\"ttl_seconds\":\"60\"}", "ttl_seconds").integer("ttl_seconds"),
        ApiException.BadRequest.class, "must be a whole number, got string");
    rejected(() -> body("{\"ttl_seconds\":1.5}", "ttl_seconds").integer("ttl_seconds"),
        ApiException.BadRequest.class, "must be a whole number");
    rejected(() -> body("{\"ttl_seconds\":1e40}", "ttl_seconds").integer("ttl_seconds"),
        ApiException.BadRequest.class, "must be a whole number");
    rejected(() -> body("{\"runbook_id\":5}", "runbook_id").id("runbook_id"),
        ApiException.BadRequest.class, "must be a string, got number");
    rejected(() -> body("{\"parameters\":[1]}", "parameters").object("parameters"),
        ApiException.BadRequest.class, "must be a JSON object, got array");
  }

  @Test
  void textAndIdsAreChecked() {
    rejected(() -> body("{\"r\":\"  \"}", "r").text("r"), ApiException.BadRequest.class, "must not be blank");
    rejected(() -> body("{\"r\":\"a\\u0000b\"}", "r").text("r"), ApiException.BadRequest.class,
        "control character at position 1");
    rejected(() -> body("{\"r\":\"" + "x".repeat(1001) + "\"}", "r").text("r"), ApiException.BadRequest.class,
        "longer than 1000");
    rejected(() -> body("{\"id\":\"RB 1; DROP TABLE orders\"}", "id").id("id"), ApiException.BadRequest.class,
        "must be 1 to 100 letters");
    rejected(() -> body("{\"d\":\"maybe\"}", "d").oneOf("d", Set.of("approve", "reject")),
        ApiException.BadRequest.class, "must be one of [approve, reject], got 'maybe'");
    assertThat(body("{\"r\":\"line one\\nline two\"}", "r").text("r")).contains("\n");
  }

  @Test
  void bodiesOverTheLimitAre413() {
    byte[] big = new byte[Body.MAX_BYTES + 1];
    assertThatThrownBy(() -> Body.parse(big)).isInstanceOf(ApiException.TooLarge.class);
  }
}

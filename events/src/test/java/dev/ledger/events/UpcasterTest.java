package dev.ledger.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class UpcasterTest {

  @Test
  void incidentDetectedV1RenamesErrorToErrorMessage() {
    JsonNode v1 = EventSamples.json("{\"incident_id\":\"INC-1\",\"error\":\"disk full\",\"severity\":\"high\"}");

    JsonNode v2 = Upcasters.incidentDetectedV1ToV2(v1);

    assertThat(v2.get("error_message").asText()).isEqualTo("disk full");
    assertThat(v2.has("error")).isFalse();
    assertThat(v2.get("severity").asText()).isEqualTo("high");
    assertThat(v1.has("error")).as("input untouched").isTrue();
  }

  @Test
  void aV1IncidentDetectedEnvelopeIsReadAsTheCurrentVersion() throws IOException {
    Envelope read = EventSerde.deserialize(resource("/upcast/incident.detected.v1.json"));

    assertThat(read.schemaVersion()).isEqualTo(2);
    assertThat(read.payload()).isInstanceOfSatisfying(IncidentDetected.class, detected -> {
      assertThat(detected.errorMessage()).isEqualTo("Service veeam stopped at 2024-11-02T03:00:00Z");
      assertThat(detected.incidentId()).isEqualTo("INC-20241102030000000123beef");
    });
  }

  @Test
  void theRegistryAppliesUpcastersFromAnyOldVersion() {
    EventType detected = EventTypes.byName("incident.detected");
    JsonNode v1 = EventSamples.json("{\"error\":null}");

    assertThat(detected.upcast(1, v1).has("error_message")).isTrue();
    assertThat(detected.upcast(2, v1)).isSameAs(v1);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = UpcasterTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }
}

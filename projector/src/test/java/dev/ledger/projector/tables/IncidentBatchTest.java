package dev.ledger.projector.tables;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IncidentBatchTest {

  @Test
  void copyTextEscapesTheSeparatorsAndMarksNull() {
    StringBuilder out = new StringBuilder();
    IncidentBatch.appendCopyText(out, "a\tb\nc\\d\re");
    out.append('|');
    IncidentBatch.appendCopyText(out, null);
    out.append('|');
    IncidentBatch.appendCopyText(out, "{\"k\": \"\\\"q\\\"\"}");
    assertThat(out).hasToString("a\\tb\\nc\\\\d\\re|\\N|{\"k\": \"\\\\\"q\\\\\"\"}");
  }

  @Test
  void everyColumnOfTheCopyIsBoundByNameInTheInsert() {
    String insert = Sql.load("insert-incidents");
    for (String column : IncidentBatch.COLUMNS) {
      assertThat(insert).contains(":" + column + " AS text[]");
    }
  }
}

package dev.ledger.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.migrations.MigrationScripts.Script;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The rules every migration script follows, checked without a database. */
class MigrationFilesTest {
  /** CREATE [UNIQUE] INDEX / CREATE TABLE / ... and what follows, up to the object name. */
  private static final Pattern CREATE = Pattern.compile(
      "\\bCREATE\\s+(?:UNIQUE\\s+)?(TABLE|INDEX|SEQUENCE|SCHEMA|EXTENSION)\\b(\\s+CONCURRENTLY)?(\\s+IF\\s+NOT\\s+EXISTS)?",
      Pattern.CASE_INSENSITIVE);

  /** DROP INDEX IF EXISTS, the one drop a script may make. */
  private static final Pattern DROP_INDEX =
      Pattern.compile("\\bDROP\\s+INDEX\\s+IF\\s+EXISTS\\s", Pattern.CASE_INSENSITIVE);

  @Test
  void everyFileIsNamedVersionDoubleUnderscoreWords() {
    List<String> names = MigrationScripts.all().stream().map(Script::name).toList();

    assertThat(names).isNotEmpty();
    assertThat(names).allSatisfy(name -> assertThat(name).matches(MigrationScripts.NAME));
  }

  @Test
  void versionsAreContiguousFromOne() {
    List<Integer> versions = MigrationScripts.all().stream().map(Script::version).sorted().toList();

    assertThat(versions).containsExactlyElementsOf(IntStream.rangeClosed(1, versions.size()).boxed().toList());
  }

  @Test
  void everyCreateTableAndIndexSaysIfNotExists() {
    List<String> offenders = new ArrayList<>();
    for (Script script : MigrationScripts.all()) {
      Matcher m = CREATE.matcher(codeOnly(script.sql()));
      while (m.find()) {
        if (m.group(3) == null) {
          offenders.add(script.name() + ": " + m.group().replaceAll("\\s+", " "));
        }
      }
    }

    assertThat(offenders).as("CREATE statements without IF NOT EXISTS").isEmpty();
  }

  @Test
  void everyScriptCreatesSomethingAndUsesNoNonIdempotentStatement() {
    for (Script script : MigrationScripts.all()) {
      String sql = codeOnly(script.sql()).toUpperCase(Locale.ROOT);

      assertThat(CREATE.matcher(sql).find() || DROP_INDEX.matcher(sql).find())
          .as(script.name() + " creates something or drops an index").isTrue();
      // Would fail on the second run by hand, or change data on it.
      assertThat(sql).as(script.name())
          .doesNotContainPattern("\\bCREATE\\s+(?:VIEW|FUNCTION|TRIGGER|TYPE)\\b")
          // The idempotent ALTER TABLEs: ENABLE ROW LEVEL SECURITY (V8), ADD COLUMN IF NOT EXISTS (V12).
          .doesNotContainPattern("\\bALTER\\s+TABLE\\b(?!\\s+\\w+\\s+(?:ENABLE\\s+ROW\\s+LEVEL\\s+SECURITY\\s*;"
              + "|ADD\\s+COLUMN\\s+IF\\s+NOT\\s+EXISTS\\s))")
          // The one idempotent DROP: DROP INDEX IF EXISTS (an index is derived; V13 drops a redundant one).
          .doesNotContainPattern("\\bDROP\\b(?!\\s+INDEX\\s+IF\\s+EXISTS\\s)")
          // ... and never CASCADE, which would take constraints and what depends on them along.
          .doesNotContainPattern("\\bDROP\\s+INDEX\\b[^;]*\\bCASCADE\\b")
          .doesNotContainPattern("\\bINSERT\\b|\\bUPDATE\\s+\\w+\\s+SET\\b|\\bDELETE\\s+FROM\\b")
          .doesNotContain("CONCURRENTLY"); // Flyway runs each script in a transaction
    }
  }

  @Test
  void noProjectionColumnDefaultsToNowOutsideTheBookkeeping() {
    // Projections must be identical after a replay, so their timestamps come from events.
    for (Script script : MigrationScripts.all()) {
      if (script.name().contains("projector_bookkeeping")) {
        continue;
      }
      assertThat(codeOnly(script.sql()).toLowerCase(Locale.ROOT)).as(script.name())
          .doesNotContainPattern("default\\s+(now\\(\\)|current_timestamp|clock_timestamp|statement_timestamp)")
          .doesNotContain("serial");
    }
  }

  /**
   * The SQL with comments and string literals blanked out, so that words in them are not taken for statements.
   * Enough for these scripts: they use no dollar quoting and no quoted identifiers holding quotes.
   */
  static String codeOnly(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (sql.startsWith("--", i)) {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? sql.length() : end;
      } else if (sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? sql.length() : end + 2;
        out.append(' ');
      } else if (c == '\'') {
        int j = i + 1;
        while (j < sql.length() && !(sql.charAt(j) == '\'' && !sql.startsWith("''", j))) {
          j += sql.startsWith("''", j) ? 2 : 1;
        }
        out.append("''");
        i = j + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }
}

package dev.ledger.cli.api;

import java.util.ArrayList;
import java.util.List;

/**
 * SQL with JDBI-style named parameters ({@code :site}) turned into JDBC's positional {@code ?}, with the names in
 * order, so that a benchmark runs the API's own SQL text over plain JDBC. Quoted literals, quoted identifiers and
 * {@code ::} casts are left alone.
 */
record NamedSql(String jdbc, List<String> names) {
  /** The statements as one multi-statement text (pgjdbc sends it as one pipelined exchange), names in order. */
  static NamedSql join(List<NamedSql> statements) {
    StringBuilder jdbc = new StringBuilder();
    List<String> names = new ArrayList<>();
    for (NamedSql s : statements) {
      jdbc.append(jdbc.length() == 0 ? "" : ";\n").append(s.jdbc());
      names.addAll(s.names());
    }
    return new NamedSql(jdbc.toString(), List.copyOf(names));
  }

  static NamedSql parse(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    List<String> names = new ArrayList<>();
    int i = 0;
    while (i < sql.length()) {
      char ch = sql.charAt(i);
      if (ch == '\'' || ch == '"') {
        int end = sql.indexOf(ch, i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated " + ch + " at " + i + " in: " + sql);
        }
        out.append(sql, i, end + 1);
        i = end + 1;
      } else if (ch == ':' && i + 1 < sql.length() && sql.charAt(i + 1) == ':') {
        out.append("::");
        i += 2;
      } else if (ch == ':' && i + 1 < sql.length() && Character.isJavaIdentifierStart(sql.charAt(i + 1))) {
        int end = i + 1;
        while (end < sql.length() && Character.isJavaIdentifierPart(sql.charAt(end))) {
          end++;
        }
        names.add(sql.substring(i + 1, end));
        out.append('?');
        i = end;
      } else {
        out.append(ch);
        i++;
      }
    }
    return new NamedSql(out.toString(), List.copyOf(names));
  }
}

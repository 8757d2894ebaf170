package dev.ledger.api.db;

import dev.ledger.api.auth.Caller;
import dev.ledger.api.auth.Tenancy;
import java.lang.reflect.Type;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.generic.GenericTypes;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.RowMapperFactory;
import org.jdbi.v3.core.mapper.SingleColumnMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatements;

/**
 * Every read of the API goes through here: one transaction per read, switched to the NOLOGIN role
 * {@code ledger_api_reader} and scoped to the caller with the settings that the row-level security policies of
 * V8 read ({@code ledger.partner_id}, {@code ledger.site_id}, {@code ledger.admin}). A query that forgot its own
 * tenant filter still sees only the caller's rows; a connection without the settings sees none. Records of the
 * {@code dev.ledger.api} packages map from rows by their constructor (snake_case columns to camelCase names).
 */
public final class ReadStore {
  static final String READER_ROLE = "ledger_api_reader";
  /**
   * The first statement of every read: role and tenant settings for row-level security, local to the transaction.
   * Binds {@code partner}, {@code scope_site} (an appliance's own site), {@code admin} ('' when not set) and
   * {@code timeout}; named apart from the {@code site} the reads themselves bind. Public for
   * benchmarks that run the API's SQL directly.
   */
  public static final String SCOPE = """
      SELECT set_config('role', 'ledger_api_reader', true) AS role,
             set_config('ledger.partner_id', :partner, true) AS partner,
             set_config('ledger.site_id', :scope_site, true) AS site,
             set_config('ledger.admin', :admin, true) AS admin,
             set_config('statement_timeout', :timeout, true) AS timeout""";

  private final Jdbi jdbi;
  private final String statementTimeout;

  public ReadStore(DataSource dataSource, Duration statementTimeout) {
    this.jdbi = Jdbi.create(dataSource);
    this.statementTimeout = statementTimeout.toMillis() + "ms";
    // Filters bind every optional value and use the ones present.
    jdbi.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
    // One mapper per record type for the store's lifetime: JDBI asks the factory again for every handle's copy of
    // the configuration, and the layout cache of a fresh mapper would start empty each time.
    Map<Type, Optional<RowMapper<?>>> mappers = new ConcurrentHashMap<>();
    RowMapperFactory records = (type, config) -> {
      Class<?> raw = GenericTypes.getErasedType(type);
      return raw.isRecord() && raw.getName().startsWith("dev.ledger.api.")
          ? mappers.computeIfAbsent(type,
              t -> ConstructorMapper.factory(raw).build(t, config).map(LayoutCachedMapper::new))
          : Optional.empty();
    };
    jdbi.registerRowMapper(records);
  }

  /** Runs {@code work} in one read transaction scoped to {@code caller}; row-level security applies throughout. */
  public <T> T read(Caller caller, HandleCallback<T, RuntimeException> work) {
    return jdbi.inTransaction(handle -> {
      scope(handle, caller);
      return work.withHandle(handle);
    });
  }

  /** What {@link #readSite} read: the site's ids (null when the caller's scope shows no such site) and the rows. */
  public record SiteRows<T>(Tenancy.SiteRef site, List<T> rows) {
  }

  /**
   * A read of one site's rows in one round trip instead of four (scope, site lookup, query, commit): the scope
   * statement, {@link Tenancy#SITE} and {@code sql} go to PostgreSQL as one pipelined exchange on a connection in
   * auto-commit, so they run as one implicit transaction that ends with the exchange, and each statement is planned
   * after the one before it ran: the site lookup and the query run as {@code ledger_api_reader} under row-level
   * security with the caller's settings, exactly as in {@link #read}. {@code sql} binds {@code site} and whatever
   * {@code binder} binds; it must not use the scope's names. The query runs only when the caller's scope shows the
   * site ({@link #siteGuarded}); the caller still decides visibility ({@link Tenancy#maySee}).
   */
  public <T> SiteRows<T> readSite(Caller caller, String siteId, String sql, UnaryOperator<Query> binder,
      Class<T> rowType) {
    return jdbi.withHandle(handle -> {
      Query query = handle.createQuery(SCOPE + ";\n" + Tenancy.SITE + ";\n" + siteGuarded(sql));
      bindScope(query, caller).bind("site", siteId);
      if (handle.isInTransaction()) {
        // A connection outside auto-commit: the exchange runs in the connection's open transaction, which must not
        // outlive the read (the scope's settings are local to it).
        try {
          return readPipelined(binder.apply(query), rowType);
        } finally {
          handle.rollback();
        }
      }
      return readPipelined(binder.apply(query), rowType);
    });
  }

  /**
   * {@code sql} behind a one-time test that the caller's scope shows the site: for another tenant's site (hidden from
   * {@code ledger_api_reader} by row-level security) PostgreSQL never starts the query, so its time and cost are
   * those of a site that does not exist. Without it, the policy filter would walk every row of that site to return
   * none: a 404 whose time tells that the site exists and how big it is, and work any caller could order. Output
   * columns are {@code sql}'s, and so is the order: the outer query only gates the subquery (a Result node with a
   * one-time filter over it, no join, no aggregate), and PostgreSQL passes the subquery's sorted rows through as
   * they come; SQL does not promise that in general, so {@code ApiReadsIT}'s ordering and paging checks hold it.
   * Public for benchmarks that run the API's SQL directly.
   */
  public static String siteGuarded(String sql) {
    return "SELECT * FROM (" + sql + ") AS site_rows WHERE EXISTS (SELECT FROM sites WHERE site_id = :site)";
  }

  /**
   * {@link #readSite} for a handler that answers 404 when the caller may not see the site: the rows, after
   * {@link Tenancy#requireVisible}.
   */
  public <T> List<T> siteRows(Caller caller, String siteId, String sql, UnaryOperator<Query> binder,
      Class<T> rowType) {
    SiteRows<T> read = readSite(caller, siteId, sql, binder, rowType);
    Tenancy.requireVisible(caller, read.site(), siteId);
    return read.rows();
  }

  /** Runs the exchange and reads its three results: the scope's row (ignored), the site, the rows. */
  private static <T> SiteRows<T> readPipelined(Query query, Class<T> rowType) {
    return query.scanResultSet((results, ctx) -> {
      Statement statement = results.get().getStatement(); // runs the exchange; the first result is the scope
      Tenancy.SiteRef site = null;
      List<T> rows = new ArrayList<>();
      if (!statement.getMoreResults()) {
        throw new IllegalStateException("the site lookup returned no result");
      }
      try (ResultSet sites = statement.getResultSet()) {
        if (sites.next()) {
          site = ctx.findRowMapperFor(Tenancy.SiteRef.class).orElseThrow().specialize(sites, ctx).map(sites, ctx);
        }
      }
      if (!statement.getMoreResults()) {
        throw new IllegalStateException("the query returned no result");
      }
      try (ResultSet found = statement.getResultSet()) {
        // A record maps by its columns; a single column (a count, an id) by its column mapper.
        // Specialized once for the result set, as JDBI's own list() does, not once per row.
        RowMapper<T> mapper = ctx.findRowMapperFor(rowType)
            .or(() -> ctx.findColumnMapperFor(rowType).map(SingleColumnMapper::new))
            .orElseThrow(() -> new IllegalArgumentException("no mapper for " + rowType))
            .specialize(found, ctx);
        while (found.next()) {
          rows.add(mapper.map(found, ctx));
        }
      }
      return new SiteRows<>(site, rows);
    });
  }

  /** The unscoped Jdbi, for the owner's own bookkeeping. Never for tenant data. */
  public Jdbi jdbi() {
    return jdbi;
  }

  private void scope(Handle handle, Caller caller) {
    bindScope(handle.createQuery(SCOPE), caller).mapTo(String.class).one();
  }

  private Query bindScope(Query query, Caller caller) {
    return query
        .bind("partner", caller.role() == Caller.Role.PARTNER ? caller.partnerId() : "")
        .bind("scope_site", caller.role() == Caller.Role.APPLIANCE ? caller.siteId() : "")
        .bind("admin", caller.isAdmin() ? "on" : "")
        .bind("timeout", statementTimeout);
  }
}

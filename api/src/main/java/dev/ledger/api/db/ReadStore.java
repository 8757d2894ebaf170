package dev.ledger.api.db;

import dev.ledger.api.auth.Caller;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.generic.GenericTypes;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.RowMapperFactory;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
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
   * Binds {@code partner}, {@code site}, {@code admin} ('' when not set) and {@code timeout}. Public for
   * benchmarks that run the API's SQL directly.
   */
  public static final String SCOPE = """
      SELECT set_config('role', 'ledger_api_reader', true) AS role,
             set_config('ledger.partner_id', :partner, true) AS partner,
             set_config('ledger.site_id', :site, true) AS site,
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

  /** The unscoped Jdbi, for the owner's own bookkeeping. Never for tenant data. */
  public Jdbi jdbi() {
    return jdbi;
  }

  private void scope(Handle handle, Caller caller) {
    handle.createQuery(SCOPE)
        .bind("partner", caller.role() == Caller.Role.PARTNER ? caller.partnerId() : "")
        .bind("site", caller.role() == Caller.Role.APPLIANCE ? caller.siteId() : "")
        .bind("admin", caller.isAdmin() ? "on" : "")
        .bind("timeout", statementTimeout)
        .mapTo(String.class).one();
  }
}

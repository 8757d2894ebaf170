package dev.ledger.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.api.db.ReadStore;
import java.time.Clock;

/**
 * What a {@link RouteModule} gets from the server: the tenant-scoped read store (check that a caller may see a
 * site or appliance with {@code auth.Tenancy} inside {@code reads.read(caller, ...)}), the JSON mapper and the
 * clock.
 */
public record ApiContext(ReadStore reads, ObjectMapper json, Clock clock) {
}

package dev.ledger.projector.tables;

import static dev.ledger.projector.tables.OrderedStatements.text;

import dev.ledger.events.ApplianceCheckedIn;
import dev.ledger.events.ApplianceRegistered;
import dev.ledger.events.ClientOrgRegistered;
import dev.ledger.events.Envelope;
import dev.ledger.events.InvalidEventException;
import dev.ledger.events.PartnerRegistered;
import dev.ledger.events.SiteRegistered;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * partners, client_orgs, sites and appliances from the registry topic. Registrations upsert (the first one's
 * created_at stays); a check-in sets last_checkin, agent version and address of a registered appliance and marks
 * it online. Whether it is online now, stale or offline depends on the reader's clock: {@link FleetQueries}.
 */
final class FleetProjection implements Projection {
  static final String NAME = "fleet";

  private static final String PARTNER = """
      INSERT INTO partners (partner_id, name, contact_email, created_at) VALUES (?, ?, ?, ?::timestamptz)
      ON CONFLICT (partner_id) DO UPDATE SET name = EXCLUDED.name, contact_email = EXCLUDED.contact_email""";
  private static final String CLIENT_ORG = """
      INSERT INTO client_orgs (client_org_id, partner_id, name) VALUES (?, ?, ?)
      ON CONFLICT (client_org_id) DO UPDATE SET partner_id = EXCLUDED.partner_id, name = EXCLUDED.name""";
  private static final String SITE = """
      INSERT INTO sites (site_id, partner_id, client_org_id, name, timezone, created_at)
      VALUES (?, ?, ?, ?, ?, ?::timestamptz)
      ON CONFLICT (site_id) DO UPDATE SET partner_id = EXCLUDED.partner_id,
        client_org_id = EXCLUDED.client_org_id, name = EXCLUDED.name, timezone = EXCLUDED.timezone""";
  private static final String APPLIANCE = """
      INSERT INTO appliances (appliance_id, site_id, hostname, public_key, agent_version, registered_at)
      VALUES (?, ?, ?, ?, ?, ?::timestamptz)
      ON CONFLICT (appliance_id) DO UPDATE SET hostname = EXCLUDED.hostname, public_key = EXCLUDED.public_key,
        agent_version = EXCLUDED.agent_version""";
  private static final String CHECK_IN = """
      UPDATE appliances SET last_checkin = ?::timestamptz, agent_version = ?, ip_address = ?, is_online = true
      WHERE appliance_id = ?""";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> topics(ProjectorTopics topics) {
    return List.of(topics.registry());
  }

  @Override
  public void apply(Handle handle, List<Incoming> events, WriteMode mode) {
    OrderedStatements sql = new OrderedStatements(handle, mode);
    for (Incoming in : events) {
      Envelope e = in.envelope();
      String at = text(e.occurredAt());
      if (e.payload() instanceof PartnerRegistered p) {
        sql.add(PARTNER, p.partnerId(), p.name(), p.contactEmail(), at);
      } else if (e.payload() instanceof ClientOrgRegistered c) {
        sql.add(CLIENT_ORG, c.clientOrgId(), c.partnerId(), c.name());
      } else if (e.payload() instanceof SiteRegistered s) {
        sql.add(SITE, s.siteId(), s.partnerId(), s.clientOrgId(), s.name(), s.timezone(), at);
      } else if (e.payload() instanceof ApplianceRegistered a) {
        sql.add(APPLIANCE, a.applianceId(), a.siteId(), a.hostname(), a.publicKey(), a.agentVersion(), at);
      } else if (e.payload() instanceof ApplianceCheckedIn c) {
        sql.add(CHECK_IN, at, c.agentVersion(), c.ipAddress(), c.applianceId());
      } else {
        throw new InvalidEventException("type", e.type() + " is not a registry event");
      }
    }
    sql.flush();
  }
}

package dev.ledger.cli.partners;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ledger.api.auth.ApiKeys;
import dev.ledger.embedded.InfrastructureException;
import dev.ledger.events.Envelope;
import dev.ledger.events.PartnerRegistered;
import dev.ledger.events.kafka.EnvelopeSerializer;
import dev.ledger.events.kafka.Topics;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ledger partners create|rotate-key|revoke-key|admin-key|appliance-key}: partners and the API keys of the
 * HTTP API. A partner is ledger data (create publishes {@code partner.registered}); its keys are credentials kept
 * only in PostgreSQL ({@code ledger_auth.api_keys}, hashed). A key is printed once and never again.
 */
@Command(name = "partners", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
    description = {"Create MSP partners and manage the API keys of partners, appliances and the platform admin.",
        "",
        "Point it at the running ledger with the addresses that 'ledger dev' prints. A key is shown once: store "
            + "it; only its SHA-256 is kept."},
    subcommands = {PartnersCommand.Create.class, PartnersCommand.RotateKey.class, PartnersCommand.RevokeKey.class,
        PartnersCommand.AdminKey.class, PartnersCommand.ApplianceKey.class})
public final class PartnersCommand implements Runnable {
  static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "a subcommand is required: create, rotate-key, revoke-key, admin-key, appliance-key");
  }

  /** Where the database is. */
  static class Database {
    @Option(names = "--jdbc-url", required = true, paramLabel = "URL",
        description = "The ledger's PostgreSQL, e.g. the JDBC URL that 'ledger dev' prints.")
    String jdbcUrl;

    HikariDataSource open() {
      if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException("--jdbc-url must start with jdbc:postgresql:, got " + jdbcUrl);
      }
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(jdbcUrl);
      config.setMaximumPoolSize(2);
      config.setPoolName("ledger-partners");
      config.setInitializationFailTimeout(15_000);
      config.setConnectionTimeout(15_000);
      try {
        return new HikariDataSource(config);
      } catch (RuntimeException e) {
        throw new InfrastructureException("PostgreSQL did not answer: " + e.getMessage(), e);
      }
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Register a partner (a partner.registered event) and print its first API key.")
  static final class Create implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin Database db;

    @Option(names = "--kafka-bootstrap", required = true, paramLabel = "HOST:PORT", description = "The ledger's Kafka.")
    String kafkaBootstrap;

    @Option(names = "--name", required = true, description = "The partner's name, e.g. \"Acme IT\".")
    String name;

    @Option(names = "--id", paramLabel = "PARTNER_ID",
        description = "The partner id (default: from the name, e.g. acme-it).")
    String id;

    @Option(names = "--email", description = "A contact e-mail address.")
    String email;

    @Override
    public Integer call() throws Exception {
      String partnerId = id == null ? slug(name) : id;
      requireId(partnerId, "--id");
      if (name.isBlank()) {
        throw new IllegalArgumentException("--name must not be blank");
      }
      try (HikariDataSource ds = db.open()) {
        ApiKeys keys = new ApiKeys(ds);
        if (partnerExists(ds, partnerId) || keys.knowsPartner(partnerId)) {
          throw new IllegalArgumentException("partner " + partnerId + " exists already; choose another --id, or "
              + "'ledger partners rotate-key --partner-id " + partnerId + "' for a new key");
        }
        Instant now = Instant.now();
        publish(kafkaBootstrap, Envelope.of(Envelope.FLEET_SITE_ID, null, now,
            new PartnerRegistered(partnerId, name, email)));
        ApiKeys.Issued issued = keys.issuePartnerKey(partnerId, "created with the partner", now);
        printKey(spec.commandLine().getOut(), "partner " + partnerId + " (" + name + ")", issued);
      }
      return 0;
    }
  }

  @Command(name = "rotate-key", mixinStandardHelpOptions = true,
      description = "Issue a new API key for a partner and revoke its previous ones at once.")
  static final class RotateKey implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin Database db;

    @Option(names = "--partner-id", required = true, paramLabel = "PARTNER_ID")
    String partnerId;

    @Override
    public Integer call() throws Exception {
      requireId(partnerId, "--partner-id");
      try (HikariDataSource ds = db.open()) {
        ApiKeys keys = new ApiKeys(ds);
        if (!keys.knowsPartner(partnerId) && !partnerExists(ds, partnerId)) {
          throw new IllegalArgumentException("no partner " + partnerId + "; create it with 'ledger partners create'");
        }
        ApiKeys.Issued issued = keys.rotatePartnerKey(partnerId, "rotated", Instant.now());
        printKey(spec.commandLine().getOut(), "partner " + partnerId + " (previous keys revoked)", issued);
      }
      return 0;
    }
  }

  @Command(name = "revoke-key", mixinStandardHelpOptions = true, description = "Revoke one API key by its key id.")
  static final class RevokeKey implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin Database db;

    @Option(names = "--key-id", required = true, paramLabel = "KEY_ID",
        description = "The 16 hex digits after lk_ in the key.")
    String keyId;

    @Override
    public Integer call() throws Exception {
      try (HikariDataSource ds = db.open()) {
        if (!new ApiKeys(ds).revoke(keyId, Instant.now())) {
          throw new IllegalArgumentException("no live key " + keyId);
        }
        spec.commandLine().getOut().printf("key %s revoked%n", keyId);
      }
      return 0;
    }
  }

  @Command(name = "admin-key", mixinStandardHelpOptions = true,
      description = "Issue a platform admin API key (reads every tenant).")
  static final class AdminKey implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin Database db;

    @Option(names = "--label", defaultValue = "admin", description = "Who or what holds it.")
    String label;

    @Override
    public Integer call() throws Exception {
      try (HikariDataSource ds = db.open()) {
        printKey(spec.commandLine().getOut(), "platform admin",
            new ApiKeys(ds).issueAdminKey(label, Instant.now()));
      }
      return 0;
    }
  }

  @Command(name = "appliance-key", mixinStandardHelpOptions = true,
      description = "Issue an API key for a registered appliance (its endpoints under /v1/appliance/).")
  static final class ApplianceKey implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin Database db;

    @Option(names = "--appliance-id", required = true, paramLabel = "APPLIANCE_ID")
    String applianceId;

    @Override
    public Integer call() throws Exception {
      try (HikariDataSource ds = db.open()) {
        String siteId = siteOf(ds, applianceId).orElseThrow(() -> new IllegalArgumentException(
            "no appliance " + applianceId + " is registered (has its appliance.registered event been projected?)"));
        printKey(spec.commandLine().getOut(), "appliance " + applianceId + " at site " + siteId,
            new ApiKeys(ds).issueApplianceKey(applianceId, siteId, "appliance", Instant.now()));
      }
      return 0;
    }
  }

  static String slug(String name) {
    String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    return slug.length() > 63 ? slug.substring(0, 63) : slug;
  }

  static void requireId(String id, String option) {
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(option + " must match " + ID + ", got '" + id + "'");
    }
  }

  static void printKey(PrintWriter out, String who, ApiKeys.Issued issued) {
    out.printf("API key for %s (key id %s):%n%n  %s%n%n", who, issued.keyId(), issued.key());
    out.println("It is shown only now; store it. Use it as: curl -H 'Authorization: Bearer <key>' "
        + "http://127.0.0.1:8080/v1/sites");
    out.flush();
  }

  private static boolean partnerExists(HikariDataSource ds, String partnerId) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT 1 FROM partners WHERE partner_id = ?")) {
      s.setString(1, partnerId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static Optional<String> siteOf(HikariDataSource ds, String applianceId) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT site_id FROM appliances WHERE appliance_id = ?")) {
      s.setString(1, applianceId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  private static void publish(String bootstrap, Envelope envelope) throws Exception {
    Map<String, Object> props = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all", // a partner is ledger data: durable before we say it exists
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        // Fail a wrong address in seconds, not the default minute.
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    try (KafkaProducer<String, Envelope> producer =
        new KafkaProducer<>(props, new StringSerializer(), new EnvelopeSerializer())) {
      producer.send(Topics.record(envelope)).get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
        | org.apache.kafka.common.KafkaException e) {
      throw new InfrastructureException("Kafka at " + bootstrap + " did not take the partner.registered event: "
          + e.getMessage(), e);
    }
  }
}

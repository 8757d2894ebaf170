package dev.ledger.bridge;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ledger.bridge.Api.NewIncident;
import dev.ledger.events.CheckStatus;
import dev.ledger.events.ClientOrgRegistered;
import dev.ledger.events.Envelope;
import dev.ledger.events.EvidenceCheck;
import dev.ledger.events.PartnerRegistered;
import dev.ledger.events.ResolutionLevel;
import dev.ledger.events.ResolutionOutcome;
import dev.ledger.events.SiteRegistered;
import dev.ledger.events.kafka.EnvelopeSerializer;
import dev.ledger.events.kafka.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives realistic telemetry through real bridges into Kafka: {@code sites × appliancesPerSite} bridges, each with
 * its own SQLite database and key pair, receive incidents of several types and severities at {@code rate} per
 * second in total, resolved at L1/L2/L3 with mixed outcomes; one pattern recurs and is healed at L2 so it becomes
 * promotion eligible; one host per appliance flaps; evidence checks pass and fail; now and then an appliance loses
 * its uplink for a while and catches up when it returns. {@link #start} runs it; {@link #close} stops it.
 */
public final class Simulator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);
  private static final long TICK_MS = 100;

  /** What to simulate; {@code dataDir} holds one sub-directory per appliance. */
  public record Settings(int sites, int appliancesPerSite, double rate, Path dataDir, String bootstrapServers,
      long seed) {
    public Settings {
      if (sites < 1 || appliancesPerSite < 1 || sites * appliancesPerSite > 200) {
        throw new IllegalArgumentException("sites and appliances per site must be at least 1, at most 200 bridges");
      }
      if (!(rate > 0 && rate <= 100_000)) {
        throw new IllegalArgumentException("rate must be above 0 and at most 100000 incidents/s, got " + rate);
      }
    }
  }

  private record Kind(String type, String severity, String checkType, String driftType, String service,
      String error) {
  }

  private static final List<Kind> KINDS = List.of(
      new Kind("firewall_disabled", "high", "firewall", "disabled", "mpssvc", "Windows Firewall stopped at 10.0.0.%d"),
      new Kind("av_definitions_stale", "medium", "antivirus", "stale", "windefend", "definitions older than 3 days"),
      new Kind("bitlocker_off", "critical", "encryption", "disabled", null, "volume C: not encrypted"),
      new Kind("patch_missing", "medium", "patching", "missing", "wuauserv", "KB50%d missing"),
      new Kind("backup_failed", "high", "backup", "failed", "veeam", "job failed at 2026-03-01T02:00:00Z"),
      new Kind("ntp_drift", "low", "time", "drift", "w32time", "clock off by %d s"));
  private static final String FLAP_TYPE = "av_service_stopped";
  private static final String SIM_PARTNER = "sim-partner";
  private static final String SIM_CLIENT_ORG = "sim-clinic";

  private final Settings settings;
  private final List<AgentBridge> bridges = new ArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "simulator");
    t.setDaemon(true);
    return t;
  });
  private final Random random;
  private final AtomicLong incidents = new AtomicLong();
  private final AtomicLong evidence = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private double carry;
  private volatile int offline = -1;
  private long offlineUntilTick;
  private long tick;

  private Simulator(Settings settings) {
    this.settings = settings;
    this.random = new Random(settings.seed());
    registerTenancy(settings);
    for (int s = 0; s < settings.sites(); s++) {
      for (int a = 0; a < settings.appliancesPerSite(); a++) {
        String site = "sim-site-" + (s + 1);
        String appliance = site + "-app-" + (a + 1);
        BridgeConfig config = BridgeConfig.of(site, appliance, settings.dataDir().resolve(appliance),
            settings.bootstrapServers()).withHttpPort(-1).withEvidenceQueue(BridgeConfig.DEFAULT_QUEUE_CAPACITY,
            BridgeConfig.DEFAULT_RETRY_CAP, Duration.ofSeconds(1));
        bridges.add(AgentBridge.start(config));
      }
    }
  }

  /**
   * Registers the simulated partner, client org and sites before any bridge starts, as the platform would when an
   * MSP onboards a clinic: a site's registration precedes its appliances' on the site's partition, so every
   * consumer sees the site first.
   */
  private static void registerTenancy(Settings settings) {
    Instant now = Instant.now();
    List<Envelope> events = new ArrayList<>();
    events.add(Envelope.of(Envelope.FLEET_SITE_ID, null, now,
        new PartnerRegistered(SIM_PARTNER, "Simulated MSP", "ops@msp.example")));
    events.add(Envelope.of(Envelope.FLEET_SITE_ID, null, now,
        new ClientOrgRegistered(SIM_CLIENT_ORG, SIM_PARTNER, "Simulated Family Clinic")));
    for (int s = 0; s < settings.sites(); s++) {
      String site = "sim-site-" + (s + 1);
      events.add(Envelope.of(site, null, now,
          new SiteRegistered(site, SIM_PARTNER, SIM_CLIENT_ORG, "Simulated site " + (s + 1), "America/Chicago")));
    }
    try (KafkaProducer<String, Envelope> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
        // Registrations are ledger history: durable and never duplicated by a retry.
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        // Fail a wrong address in seconds, not the default two minutes.
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000),
        new StringSerializer(), new EnvelopeSerializer())) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (Envelope e : events) {
        sent.add(producer.send(Topics.record(e)));
      }
      for (java.util.concurrent.Future<?> f : sent) {
        f.get(60, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw BridgeException.unavailable("cannot register the simulated sites in Kafka at "
          + settings.bootstrapServers() + ": " + e.getMessage(), e);
    }
  }

  /** Starts the bridges and the telemetry. */
  public static Simulator start(Settings settings) {
    Simulator sim = new Simulator(settings);
    sim.timer.scheduleAtFixedRate(sim::safeTick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    return sim;
  }

  public boolean healthy() {
    return bridges.stream().allMatch(AgentBridge::healthy);
  }

  public String status() {
    return "simulating " + bridges.size() + " appliances: " + incidents.get() + " incidents, " + evidence.get()
        + " evidence bundles, " + failures.get() + " refused" + (offline >= 0 ? ", one appliance offline" : "");
  }

  private void safeTick() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.warn("simulator tick failed: {}", e.toString());
    }
  }

  private void tick() {
    tick++;
    toggleOffline();
    carry += settings.rate() * TICK_MS / 1000.0;
    int n = (int) carry;
    carry -= n;
    for (int i = 0; i < n; i++) {
      incident(bridges.get(random.nextInt(bridges.size())));
    }
    if (tick % 10 == 0) {
      bridges.forEach(this::evidence);
    }
  }

  private void incident(AgentBridge bridge) {
    boolean flap = random.nextInt(20) == 0;
    Kind kind = flap ? new Kind(FLAP_TYPE, "high", "antivirus", "stopped", "windefend", "service stopped")
        : KINDS.get(random.nextInt(KINDS.size()));
    String host = flap ? "ws-flappy" : "ws-" + random.nextInt(25);
    String error = String.format(kind.error(), random.nextInt(255));
    NewIncident in = new NewIncident(bridge.config().siteId(), host, kind.type(), kind.severity(), kind.checkType(),
        kind.driftType(), kind.service(), error,
        JsonNodeFactory.instance.objectNode().put("agent", "sim").put("probe", random.nextInt(1000)), null);
    ResolutionLevel level = flap ? ResolutionLevel.L1 : level(kind);
    ResolutionOutcome outcome = flap || kind.type().equals("firewall_disabled") ? ResolutionOutcome.SUCCESS
        : outcome();
    long millis = 200 + random.nextInt(level == ResolutionLevel.L3 ? 600_000 : 20_000);
    bridge.recordIncident(in).thenCompose(r -> {
      incidents.incrementAndGet();
      return r.suppressed() ? java.util.concurrent.CompletableFuture.completedFuture(null)
          : bridge.recordResolution(new Api.Resolution(r.incidentId(), level, "fix-" + kind.type(), outcome, millis,
              null));
    }).exceptionally(e -> {
      failures.incrementAndGet();
      return null;
    });
  }

  /** The recurring pattern heals at L2; the rest mostly at L1. */
  private ResolutionLevel level(Kind kind) {
    if (kind.type().equals("firewall_disabled")) {
      return ResolutionLevel.L2;
    }
    int p = random.nextInt(100);
    return p < 60 ? ResolutionLevel.L1 : p < 90 ? ResolutionLevel.L2 : ResolutionLevel.L3;
  }

  private ResolutionOutcome outcome() {
    int p = random.nextInt(100);
    return p < 85 ? ResolutionOutcome.SUCCESS : p < 92 ? ResolutionOutcome.FAILURE : p < 95
        ? ResolutionOutcome.PARTIAL : p < 98 ? ResolutionOutcome.ESCALATED : ResolutionOutcome.TIMEOUT;
  }

  private void evidence(AgentBridge bridge) {
    List<EvidenceCheck> checks = List.of(
        new EvidenceCheck("bitlocker", random.nextInt(10) == 0 ? CheckStatus.FAIL : CheckStatus.PASS,
            "ws-" + random.nextInt(25), null, "164.312(a)(2)(iv)"),
        new EvidenceCheck("firewall", random.nextInt(8) == 0 ? CheckStatus.FAIL : CheckStatus.PASS,
            "ws-" + random.nextInt(25), null, "164.312(e)(1)"),
        new EvidenceCheck("backup", random.nextInt(15) == 0 ? CheckStatus.WARN : CheckStatus.PASS,
            "srv-1", null, "164.308(a)(7)(ii)(A)"));
    bridge.submitEvidence(new Api.EvidenceBundle(bridge.config().siteId(), java.time.Instant.now(), checks))
        .thenRun(evidence::incrementAndGet)
        .exceptionally(e -> {
          failures.incrementAndGet();
          return null;
        });
  }

  /** Every ~30 s one appliance loses its uplink for 10-20 s; its events wait in SQLite meanwhile. */
  private void toggleOffline() {
    if (offline >= 0 && tick >= offlineUntilTick) {
      bridges.get(offline).uplink(true);
      LOG.info("simulator: {} is back online", bridges.get(offline).config().applianceId());
      offline = -1;
    } else if (offline < 0 && tick % 300 == 150 && bridges.size() > 1) {
      offline = random.nextInt(bridges.size());
      offlineUntilTick = tick + 100 + random.nextInt(100);
      bridges.get(offline).uplink(false);
      LOG.info("simulator: {} goes offline", bridges.get(offline).config().applianceId());
    }
  }

  @Override
  public synchronized void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    bridges.forEach(AgentBridge::close);
  }
}

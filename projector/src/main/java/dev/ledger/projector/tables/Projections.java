package dev.ledger.projector.tables;

import java.util.List;

/** The catalogue of projections, in the order they start. */
public final class Projections {
  private static final List<Projection> ALL = List.of(new FleetProjection(), new IncidentProjection(),
      new OrderProjection(), new PatternStatsProjection(), new EvidenceProjection(), new PromotionProjection(),
      new EvidenceLogProjection(), new CheckpointProjection());

  private Projections() {
  }

  /** The names of every projection (the {@code projection} column of the bookkeeping tables). */
  public static List<String> names() {
    return ALL.stream().map(Projection::name).toList();
  }

  static List<Projection> selected(List<String> names) {
    return names.isEmpty() ? ALL : ALL.stream().filter(p -> names.contains(p.name())).toList();
  }

  static Projection named(String name) {
    return ALL.stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown projection " + name));
  }
}

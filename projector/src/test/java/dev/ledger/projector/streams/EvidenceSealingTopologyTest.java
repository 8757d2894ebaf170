package dev.ledger.projector.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.EvidenceSealed;
import dev.ledger.events.EvidenceSubmitted;
import dev.ledger.events.rules.EvidenceChain;
import dev.ledger.projector.streams.Samples.Appliance;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

class EvidenceSealingTopologyTest {
  private final Appliance appliance = Appliance.of("app-1", "site-a");

  @Test
  void bundlesAreChainedPerSiteFromGenesis() throws Exception {
    try (TopologyFixture f = new TopologyFixture()) {
      Appliance other = Appliance.of("app-2", "site-b");
      f.registry.pipeInput("site-a", appliance.registration(f.now()));
      f.registry.pipeInput("site-b", other.registration(f.now()));
      byte[] first = appliance.evidence(appliance.bundle("b-1", f.now()), f.now());
      f.evidence.pipeInput("site-a", first);
      f.evidence.pipeInput("site-b", other.evidence(other.bundle("b-x", f.now()), f.now()));
      f.evidence.pipeInput("site-a", appliance.evidence(appliance.bundle("b-2", f.now()), f.now()));
      f.evidence.pipeInput("site-a", appliance.evidence(appliance.bundle("b-3", f.now()), f.now()));

      List<TestRecord<String, byte[]>> records = f.sealed.readRecordsToList();
      List<EvidenceSealed> siteA = records.stream().filter(r -> r.key().equals("site-a"))
          .map(r -> (EvidenceSealed) TopologyFixture.envelope(r).payload()).toList();
      assertThat(siteA).extracting(EvidenceSealed::chainPosition).containsExactly(1L, 2L, 3L);
      assertThat(siteA).extracting(EvidenceSealed::bundleId).containsExactly("b-1", "b-2", "b-3");
      assertThat(siteA.get(0).prevHash()).isEqualTo(EvidenceChain.GENESIS_PREV_HASH);
      Envelope submitted = EventSerde.deserialize(first);
      assertThat(siteA.get(0).evidenceEventId()).isEqualTo(submitted.eventId());
      assertThat(siteA.get(0).bundleHash())
          .isEqualTo(EvidenceChain.bundleHash((EvidenceSubmitted) submitted.payload()));
      for (int i = 0; i < siteA.size(); i++) {
        EvidenceSealed link = siteA.get(i);
        assertThat(link.chainHash())
            .isEqualTo(EvidenceChain.chainHash(link.bundleHash(), link.prevHash(), link.chainPosition()));
        if (i > 0) {
          assertThat(link.prevHash()).isEqualTo(siteA.get(i - 1).chainHash());
        }
      }
      List<EvidenceSealed> siteB = records.stream().filter(r -> r.key().equals("site-b"))
          .map(r -> (EvidenceSealed) TopologyFixture.envelope(r).payload()).toList();
      assertThat(siteB).singleElement().satisfies(link -> {
        assertThat(link.chainPosition()).isEqualTo(1);
        assertThat(link.prevHash()).isEqualTo(EvidenceChain.GENESIS_PREV_HASH);
      });
      assertThat(f.deadLetter.isEmpty()).isTrue();
    }
  }

  @Test
  void aDuplicateBundleWithinFifteenMinutesIsDroppedAndSealedAgainAfterwards() throws Exception {
    try (TopologyFixture f = new TopologyFixture()) {
      f.registry.pipeInput("site-a", appliance.registration(f.now()));
      EvidenceSubmitted bundle = appliance.bundle("b-1", f.now());
      f.evidence.pipeInput("site-a", appliance.evidence(bundle, f.now()));
      f.advance(Duration.ofMinutes(14));
      f.evidence.pipeInput("site-a", appliance.evidence(bundle, f.now()));
      assertThat(f.sealed.readRecordsToList()).hasSize(1);

      f.advance(Duration.ofMinutes(2));
      f.evidence.pipeInput("site-a", appliance.evidence(bundle, f.now()));
      assertThat(TopologyFixture.envelopes(f.sealed)).singleElement()
          .satisfies(e -> assertThat(((EvidenceSealed) e.payload()).chainPosition()).isEqualTo(2));
      assertThat(f.deadLetter.isEmpty()).as("a duplicate is not an error").isTrue();
    }
  }

  @Test
  void aCheckTimeUpToTwoMinutesAheadIsAcceptedAndFurtherIsRejected() throws Exception {
    try (TopologyFixture f = new TopologyFixture()) {
      f.registry.pipeInput("site-a", appliance.registration(f.now()));
      f.evidence.pipeInput("site-a",
          appliance.evidence(appliance.bundle("b-ok", f.now().plusSeconds(120)), f.now()));
      f.evidence.pipeInput("site-a",
          appliance.evidence(appliance.bundle("b-late", f.now().plusSeconds(121)), f.now()));

      assertThat(TopologyFixture.envelopes(f.sealed)).singleElement()
          .satisfies(e -> assertThat(((EvidenceSealed) e.payload()).bundleId()).isEqualTo("b-ok"));
      assertThat(f.deadLetter.readRecordsToList()).singleElement()
          .satisfies(r -> assertThat(TopologyFixture.reason(r)).isEqualTo("check_time_in_future"));
    }
  }

  @Test
  void evidenceThatArrivesBeforeItsRegistrationWaitsAndIsSealedInArrivalOrder() throws Exception {
    try (TopologyFixture f = new TopologyFixture()) {
      f.evidence.pipeInput("site-a", appliance.evidence(appliance.bundle("b-1", f.now()), f.now()));
      f.evidence.pipeInput("site-a", appliance.evidence(appliance.bundle("b-2", f.now()), f.now()));
      assertThat(f.sealed.isEmpty()).isTrue();

      f.advance(Duration.ofMinutes(5));
      f.registry.pipeInput("site-a", appliance.registration(f.now()));

      assertThat(TopologyFixture.envelopes(f.sealed))
          .map(e -> ((EvidenceSealed) e.payload()).bundleId()).containsExactly("b-1", "b-2");
      f.advance(Duration.ofHours(2));
      assertThat(f.deadLetter.isEmpty()).as("released evidence is not expired later").isTrue();
    }
  }

  @Test
  void evidenceWhoseApplianceNeverRegistersIsDeadLetteredAfterThePendingTimeout() throws Exception {
    try (TopologyFixture f = new TopologyFixture()) {
      byte[] orphan = appliance.evidence(appliance.bundle("b-1", f.now()), f.now());
      f.evidence.pipeInput("site-a", orphan);
      f.advance(Duration.ofMinutes(59));
      assertThat(f.deadLetter.isEmpty()).isTrue();

      f.advance(Duration.ofMinutes(2));
      assertThat(f.deadLetter.readRecordsToList()).singleElement().satisfies(r -> {
        assertThat(TopologyFixture.reason(r)).isEqualTo("unknown_appliance");
        assertThat(r.key()).isEqualTo("site-a");
        assertThat(r.value()).isEqualTo(orphan);
      });
      f.registry.pipeInput("site-a", appliance.registration(f.now()));
      assertThat(f.sealed.isEmpty()).as("nothing is sealed twice or late").isTrue();
    }
  }
}

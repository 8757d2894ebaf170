package dev.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Given two tenants' projections, each read answers the caller's own rows, filtered, paginated and counted. */
class ApiReadsIT {
  private static ApiFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new ApiFixture("api_reads_it");
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void aPartnerSeesItsOwnSitesWithAppliancesCountedByLiveness() throws Exception {
    JsonNode body = ok(f.get(f.p1Key, "/v1/sites"));
    assertThat(body.path("items")).extracting(n -> n.path("site_id").asText()).containsExactly("s1", "s1b");
    JsonNode s1 = body.path("items").get(0);
    assertThat(s1.path("appliances").asInt()).isEqualTo(2);
    assertThat(s1.path("online").asInt()).isEqualTo(1);
    assertThat(s1.path("stale").asInt()).isEqualTo(1);
    assertThat(s1.path("offline").asInt()).isZero();

    JsonNode appliances = ok(f.get(f.p1Key, "/v1/sites/s1/appliances")).path("items");
    assertThat(appliances).extracting(n -> n.path("appliance_id").asText() + "=" + n.path("status").asText())
        .containsExactly("a1=ONLINE", "a1b=STALE");
  }

  @Test
  void theAdminSeesEveryTenant() throws Exception {
    assertThat(ok(f.get(f.adminKey, "/v1/sites")).path("items")).hasSize(3);
    assertThat(ok(f.get(f.adminKey, "/v1/partners")).path("items")).hasSize(2);
    assertThat(ok(f.get(f.p1Key, "/v1/partners")).path("items")).extracting(n -> n.path("partner_id").asText())
        .containsExactly("p1");
  }

  @Test
  void incidentsAreNewestFirstAndTheCursorWalksEveryOneExactlyOnce() throws Exception {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page = ok(f.get(f.p1Key, "/v1/sites/s1/incidents?limit=50"
          + (cursor == null ? "" : "&cursor=" + ApiFixture.q(cursor))));
      page.path("items").forEach(n -> seen.add(n.path("detected_at").asText() + " " + n.path("incident_id").asText()));
      cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
      pages++;
    } while (cursor != null);

    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(120).doesNotHaveDuplicates();
    assertThat(seen).isSortedAccordingTo((a, b) -> b.compareTo(a));
  }

  @Test
  void limitOffsetMatchesTheSeedsPagination() throws Exception {
    JsonNode first = ok(f.get(f.p1Key, "/v1/sites/s1/incidents"));
    assertThat(first.path("items")).hasSize(50);
    assertThat(first.path("limit").asInt()).isEqualTo(50);
    JsonNode third = ok(f.get(f.p1Key, "/v1/sites/s1/incidents?limit=10&offset=20"));
    assertThat(third.path("items").get(0).path("incident_id").asText())
        .isEqualTo(first.path("items").get(20).path("incident_id").asText());
    assertThat(ok(f.get(f.p1Key, "/v1/sites/s1/incidents?limit=500")).path("items")).hasSize(120);
  }

  @Test
  void filtersNarrowTheListAndTheAggregateCountsWithFilter() throws Exception {
    JsonNode l2 = ok(f.get(f.p1Key, "/v1/sites/s1/incidents?level=L2&type=patching&limit=500"));
    assertThat(l2.path("items")).isNotEmpty().allSatisfy(n -> {
      assertThat(n.path("resolution_level").asText()).isEqualTo("L2");
      assertThat(n.path("incident_type").asText()).isEqualTo("patching");
    });
    JsonNode window = ok(f.get(f.p1Key,
        "/v1/sites/s1/incidents?from=2026-11-28T10:00:00Z&to=2026-11-28T10:30:00Z&limit=500"));
    assertThat(window.path("items")).hasSize(30);

    JsonNode stats = ok(f.get(f.p1Key, "/v1/sites/s1/incident-stats"));
    assertThat(stats.path("total").asInt()).isEqualTo(120);
    assertThat(stats.path("open").asInt()).isEqualTo(24);
    assertThat(stats.path("l1").asInt()).isEqualTo(24);
    assertThat(stats.path("l2").asInt()).isEqualTo(24);
    assertThat(stats.path("l3").asInt()).isEqualTo(48);
    assertThat(stats.path("successes").asInt()).isEqualTo(72);
    assertThat(ok(f.get(f.p1Key, "/v1/sites/s1/incident-stats?type=backup")).path("total").asInt()).isEqualTo(40);
  }

  @Test
  void oneIncidentCarriesItsPayload() throws Exception {
    JsonNode one = ok(f.get(f.p1Key, "/v1/sites/s1/incidents/INC-202611281100000000000001"));
    assertThat(one.path("raw_data").path("kb").asInt()).isEqualTo(1);
    assertThat(one.path("resolved_by_bundle").isNull()).isTrue();
    JsonNode byCheck = ok(f.get(f.p1Key, "/v1/sites/s1/incidents/INC-202611281100000000010001"));
    assertThat(byCheck.path("resolved_by_bundle").asText()).isEqualTo("b-1");
  }

  @Test
  void patternsCandidatesAndFlapsAreTheCallersOnly() throws Exception {
    assertThat(ok(f.get(f.p1Key, "/v1/sites/s1/patterns")).path("items")).hasSize(1);
    JsonNode candidates = ok(f.get(f.p1Key, "/v1/promotion-candidates")).path("items");
    assertThat(candidates).extracting(n -> n.path("site_id").asText()).containsExactly("s1");
    assertThat(candidates.get(0).path("success_rate").asDouble()).isEqualTo(1.0);
    assertThat(ok(f.get(f.adminKey, "/v1/promotion-candidates")).path("items")).hasSize(3);
    assertThat(ok(f.get(f.p1Key, "/v1/sites/s1/flap-suppressions?active=true")).path("items")).hasSize(1);
  }

  @Test
  void evidenceCarriesTheChainFields() throws Exception {
    JsonNode link = ok(f.get(f.p1Key, "/v1/sites/s1/evidence")).path("items").get(0);
    assertThat(link.path("chain_position").asLong()).isEqualTo(1);
    assertThat(link.path("prev_hash").asText()).isEqualTo("0".repeat(64));
    assertThat(link.path("chain_hash").asText()).isEqualTo("b".repeat(64));
    assertThat(ok(f.get(f.p1Key, "/v1/sites/s1/evidence/b-s1-1")).path("bundle").path("n").asInt()).isEqualTo(1);
  }

  @Test
  void complianceOfASiteAndOfAClientOrgIsTheOneFormulaWithHistory() throws Exception {
    JsonNode site = ok(f.get(f.p1Key, "/v1/sites/s1/compliance?days=3"));
    assertThat(site.path("current").path("passed").asInt()).isEqualTo(1);
    assertThat(site.path("current").path("total").asInt()).isEqualTo(2);
    assertThat(site.path("current").path("display").asText()).isEqualTo("50.0%");
    assertThat(site.path("history")).hasSize(3);
    // Results of 2026-11-27 count from the end of that day on; the day before has no data, never 100%.
    assertThat(site.path("history").get(1).path("as_of").asText()).isEqualTo("2026-11-26T23:59:59.999999Z");
    assertThat(site.path("history").get(1).path("display").asText()).isEqualTo("no data");
    assertThat(site.path("history").get(1).path("percent").isNull()).isTrue();
    assertThat(site.path("history").get(2).path("display").asText()).isEqualTo("50.0%");

    JsonNode org = ok(f.get(f.p1Key, "/v1/client-orgs/o1/compliance?days=0"));
    assertThat(org.path("site_ids")).extracting(JsonNode::asText).containsExactly("s1", "s1b");
    assertThat(org.path("current").path("passed").asInt()).isEqualTo(2);
    assertThat(org.path("current").path("total").asInt()).isEqualTo(3);
  }

  @Test
  void anApplianceReadsItsOwnPendingOrdersThatHaveNotExpired() throws Exception {
    JsonNode orders = ok(f.get(f.a1Key, "/v1/appliance/orders")).path("items");
    assertThat(orders).extracting(n -> n.path("order_id").asText()).containsExactly("ord-s1-1");
    assertThat(ok(f.get(f.p1Key, "/v1/sites/s1/orders")).path("items")).hasSize(2);
  }

  @Test
  void cveAndFrameworkCataloguesAreReadOnlyLists() throws Exception {
    assertThat(ok(f.get(f.p1Key, "/v1/cves")).path("items")).hasSize(1);
    assertThat(ok(f.get(f.p1Key, "/v1/sites/s1/cves")).path("items")).extracting(n -> n.path("appliance_id").asText())
        .containsExactly("a1");
    JsonNode controls = ok(f.get(f.p1Key, "/v1/frameworks/hipaa/controls")).path("items");
    assertThat(controls.get(0).path("check_types")).extracting(JsonNode::asText).containsExactly("encryption");
  }

  private static JsonNode ok(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return f.json(response);
  }

  static Set<String> texts(JsonNode array, String field) {
    Set<String> out = new HashSet<>();
    array.forEach(n -> out.add(n.path(field).asText()));
    return out;
  }
}

package dev.ledger.events.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.LeaderNotAvailableException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the missing topics of the catalogue. Idempotent and safe to race: a topic that exists, or that another
 * process creates meanwhile, is left as it is (its partitions and configs are not checked or changed).
 */
public final class TopicAdmin {

  private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

  private TopicAdmin() {
  }

  /** Creates those of {@code specs} that do not exist yet, within {@code timeout}; returns the names created. */
  public static SortedSet<String> ensureTopics(Admin admin, Collection<TopicSpec> specs, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<String> existing = await(admin.listTopics().names(), deadline);
    Map<String, NewTopic> missing = new LinkedHashMap<>();
    specs.stream()
        .filter(spec -> !existing.contains(spec.name()))
        .forEach(spec -> missing.putIfAbsent(spec.name(), spec.toNewTopic()));
    if (missing.isEmpty()) {
      return Collections.emptySortedSet();
    }
    var options = new CreateTopicsOptions().timeoutMs(remainingMillis(deadline));
    SortedSet<String> created = new TreeSet<>();
    admin.createTopics(missing.values(), options).values().forEach((name, future) -> {
      if (create(future, deadline)) {
        created.add(name);
      }
    });
    LOG.info("Created topics {}", created);
    awaitLeaders(admin, created, deadline);
    awaitServing(admin, created, deadline);
    return Collections.unmodifiableSortedSet(created);
  }

  /**
   * Compares the catalogue's configs with those of the existing topics and returns one line per difference,
   * e.g. a ledger topic created elsewhere with a finite retention, which would silently delete history.
   */
  public static List<String> configDifferences(Admin admin, Collection<TopicSpec> specs, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<ConfigResource> resources = specs.stream()
        .map(spec -> new ConfigResource(ConfigResource.Type.TOPIC, spec.name()))
        .toList();
    Map<ConfigResource, Config> actual = describeWhenVisible(admin, resources, deadline);
    List<String> differences = new ArrayList<>();
    for (TopicSpec spec : specs) {
      Config config = actual.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
      spec.configs().forEach((key, wanted) -> {
        ConfigEntry entry = config == null ? null : config.get(key);
        String found = entry == null ? null : entry.value();
        if (!wanted.equals(found)) {
          differences.add(spec.name() + ": " + key + " is " + found + ", the catalogue says " + wanted);
        }
      });
    }
    return differences;
  }

  /**
   * Waits until every partition of the new topics has a leader. Producing into a partition whose leader the
   * broker has not finished electing answers NOT_LEADER_OR_FOLLOWER; seen here, an idempotent producer's retries
   * of such a first batch can then fail with OUT_OF_ORDER_SEQUENCE_NUMBER, so nobody writes before this returns.
   */
  private static void awaitLeaders(Admin admin, Collection<String> topics, long deadline) {
    if (topics.isEmpty()) {
      return;
    }
    while (true) {
      try {
        Map<String, TopicDescription> described = await(admin.describeTopics(topics).allTopicNames(), deadline);
        boolean ready = described.values().stream()
            .flatMap(d -> d.partitions().stream())
            .allMatch(p -> p.leader() != null && !p.leader().isEmpty() && !p.isr().isEmpty());
        if (ready) {
          return;
        }
      } catch (UnknownTopicOrPartitionException notYetVisible) {
        // the metadata has not reached the broker that answered; ask again
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("new topics " + topics + " have no leader for every partition yet");
      }
      pause();
    }
  }

  /**
   * Waits until the leader of every partition of the new topics answers a ListOffsets request. The metadata can name
   * a leader before that broker has created the partition; a produce request in that window fails with
   * NOT_LEADER_OR_FOLLOWER, and when a later request of the same idempotent producer lands first, the retries of the
   * first fail with OUT_OF_ORDER_SEQUENCE_NUMBER until the delivery timeout drops them (KAFKA-15591, seen here with
   * 4.4.0). ListOffsets is answered by the same replica manager as a produce request, so after this nothing can
   * meet that window.
   */
  private static void awaitServing(Admin admin, Collection<String> topics, long deadline) {
    if (topics.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
    await(admin.describeTopics(topics).allTopicNames(), deadline).values().forEach(d -> d.partitions()
        .forEach(p -> partitions.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
    while (true) {
      try {
        await(admin.listOffsets(partitions, new ListOffsetsOptions().timeoutMs(remainingMillis(deadline))).all(),
            deadline);
        return;
      } catch (NotLeaderOrFollowerException | UnknownTopicOrPartitionException | LeaderNotAvailableException e) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("new topics " + topics + " are not served by their leaders yet", e);
        }
        pause();
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new InterruptException(interrupted);
    }
  }

  /** Topics created a moment ago may not have reached every broker's metadata yet: retry until the deadline. */
  private static Map<ConfigResource, Config> describeWhenVisible(
      Admin admin, List<ConfigResource> resources, long deadline) {
    while (true) {
      try {
        return await(admin.describeConfigs(resources).all(), deadline);
      } catch (UnknownTopicOrPartitionException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        pause();
      }
    }
  }

  private static boolean create(KafkaFuture<Void> future, long deadline) {
    try {
      await(future, deadline);
      return true;
    } catch (TopicExistsException raced) {
      return false;
    }
  }

  private static <T> T await(KafkaFuture<T> future, long deadline) {
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new TimeoutException("topic admin call did not finish in time", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof KafkaException cause) {
        throw cause;
      }
      throw new KafkaException(e.getCause());
    }
  }

  private static int remainingMillis(long deadline) {
    long millis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis));
  }
}

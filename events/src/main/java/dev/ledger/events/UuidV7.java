package dev.ledger.events;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Generates time-ordered UUIDs of version 7 (RFC 9562) for event ids: 48 bits of Unix milliseconds, a 12-bit
 * counter that starts at a random value each millisecond and keeps ids of the same millisecond increasing, and 62
 * random bits. When the counter runs out, or the clock steps back, the timestamp moves on by itself, so ids from
 * one process always increase.
 */
public final class UuidV7 {

  private static final UuidV7 DEFAULT = new UuidV7(System::currentTimeMillis, new SecureRandom());
  private static final int COUNTER_MAX = 0xFFF;
  /** Counter seeds stay in the lower half so a millisecond has room for at least 2048 ids. */
  private static final int SEED_BOUND = 0x800;

  private final LongSupplier clock;
  private final Random random;
  private long lastMillis = -1;
  private int counter;

  UuidV7(LongSupplier clock, Random random) {
    this.clock = clock;
    this.random = random;
  }

  /** A new UUIDv7, greater than every earlier one from this process. */
  public static UUID next() {
    return DEFAULT.generate();
  }

  /** Whether the id is a UUID of version 7 and the RFC variant. */
  public static boolean isV7(UUID id) {
    return id.version() == 7 && id.variant() == 2;
  }

  /** The millisecond embedded in a UUIDv7. */
  public static Instant timestamp(UUID id) {
    if (!isV7(id)) {
      throw new IllegalArgumentException("not a UUIDv7: " + id);
    }
    return Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16);
  }

  synchronized UUID generate() {
    long now = clock.getAsLong();
    if (now > lastMillis) {
      lastMillis = now;
      counter = random.nextInt(SEED_BOUND);
    } else if (++counter > COUNTER_MAX) {
      lastMillis++;
      counter = random.nextInt(SEED_BOUND);
    }
    long msb = (lastMillis << 16) | (0x7L << 12) | counter;
    long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb);
  }
}

package dev.ledger.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.bridge.store.AgentDatabase;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit: one transaction per group, a refusal fails only its caller, a failure is retried alone. */
class GroupCommitterIT {
  @TempDir Path dir;

  @Test
  void aRefusalOrAFailureInAGroupTouchesOnlyItsOwnCaller() throws Exception {
    Identity identity = Identity.loadOrCreate(dir, "s", "a");
    Writer writer = new Writer(new Store(AgentDatabase.open(dir.resolve("g.db"))), identity, Clock.systemUTC());
    CountDownLatch hold = new CountDownLatch(1);
    try (GroupCommitter committer = new GroupCommitter(writer, 100, () -> { })) {
      CompletableFuture<Integer> blocker = committer.submit(w -> {
        try {
          hold.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return insert(w, "first");
      });
      CompletableFuture<Integer> ok = committer.submit(w -> insert(w, "ok"));
      CompletableFuture<Integer> refused = committer.submit(w -> {
        throw BridgeException.badInput("refused before writing");
      });
      CompletableFuture<Integer> broken = committer.submit(w -> {
        insert(w, "broken");
        throw new SQLException("disk on fire");
      });
      CompletableFuture<Integer> after = committer.submit(w -> insert(w, "after"));
      hold.countDown();
      assertThat(blocker.join()).isEqualTo(1);
      assertThat(ok.join()).isEqualTo(1);
      assertThat(after.join()).isEqualTo(1);
      assertThat(refused).isCompletedExceptionally();
      assertThat(broken).isCompletedExceptionally();
    }
    writer.close();
    assertThat(Db.strings(dir.resolve("g.db"), "SELECT key FROM bridge_meta ORDER BY key"))
        .containsExactly("after", "first", "ok");
  }

  private static int insert(Writer w, String key) throws SQLException {
    return w.store().update("INSERT INTO bridge_meta (key, value) VALUES (?, 'x')", key);
  }
}

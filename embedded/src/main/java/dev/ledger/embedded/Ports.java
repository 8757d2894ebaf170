package dev.ledger.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Loopback port helpers: pick a free port, or check that a chosen one is free before a server binds it. */
public final class Ports {
  private Ports() {}

  /** A port that was free a moment ago on 127.0.0.1. Callers retry on a bind race. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new InfrastructureException("no free loopback port: " + e.getMessage(), e);
    }
  }

  /**
   * Fails with a message naming the component and the option to change when {@code port} is taken on 127.0.0.1.
   * A port of 0 means "pick one" and always passes.
   */
  public static void requireFree(int port, String component, String option) {
    if (port == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new InfrastructureException(
          component + " cannot listen on 127.0.0.1:" + port + " because the port is in use; stop what holds it"
              + " or choose another port with " + option);
    }
  }
}

package dev.ledger.api.http;

import java.util.List;

/**
 * One page of a list: the items, the limit and offset that produced it, and {@code nextCursor}, present when
 * more items follow (pass it back as {@code cursor}).
 */
public record Page<T>(List<T> items, int limit, Integer offset, String nextCursor) {
}

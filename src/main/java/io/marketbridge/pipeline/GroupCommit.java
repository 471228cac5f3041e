package io.marketbridge.pipeline;

import io.marketbridge.model.InboundEvent;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Group commit: webhook deliveries that arrive while a commit is under way are stored together in
 * the next transaction, so a burst pays one disk flush per batch instead of one per request. Each
 * caller still returns only once the transaction holding its event has committed.
 */
final class GroupCommit {

    /** Stores one batch in one transaction; answers the keys it newly stored (a key known already, or twice in the batch, once at most). */
    @FunctionalInterface
    interface BatchStore {
        Set<String> store(List<InboundEvent> events) throws Exception;
    }

    private record Pending(InboundEvent event, CompletableFuture<Boolean> stored) {
    }

    private static final Logger LOG = Logger.getLogger(GroupCommit.class);

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final BatchStore store;
    private final int maxBatch;
    private final Duration timeout;
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running = true;

    /**
     * {@code writers} transactions may be in flight at once: while one waits for its flush, the next
     * batch gathers and starts.
     */
    GroupCommit(BatchStore store, int writers, int maxBatch, Duration timeout) {
        this.store = store;
        this.maxBatch = maxBatch;
        this.timeout = timeout;
        for (int i = 0; i < writers; i++) {
            Thread writer = new Thread(this::write, "inbox-writer-" + i);
            writer.setDaemon(true);
            writer.start();
            this.writers.add(writer);
        }
    }

    /** Stores the event with whatever else is waiting; true once committed, false for a key already known. */
    boolean store(InboundEvent event) {
        if (!running) {
            throw new IllegalStateException("the inbox is shutting down: " + event.key() + " not stored");
        }
        Pending pending = new Pending(event, new CompletableFuture<>());
        queue.add(pending);
        try {
            return pending.stored.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("inbox insert failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            // the sender gets an error and sends again; should the row commit after all, that is a duplicate, answered 200
            throw new IllegalStateException("inbox insert of " + event.key() + " not committed within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing " + event.key(), e);
        }
    }

    /** Deliveries queued, not yet taken into a transaction. */
    int waiting() {
        return queue.size();
    }

    private void write() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Pending> batch) {
        try {
            Set<String> stored = new HashSet<>(store.store(batch.stream().map(Pending::event).toList()));
            for (Pending pending : batch) {
                pending.stored.complete(stored.remove(pending.event().key())); // a second delivery in the same batch is a duplicate
            }
        } catch (Exception | Error e) {
            if (batch.size() == 1) {
                batch.get(0).stored.completeExceptionally(e);
                return;
            }
            // one bad delivery must not fail the others that happened to share its transaction
            LOG.debugf(e, "inbox batch of %d failed; storing its deliveries one by one", batch.size());
            for (Pending pending : batch) {
                commit(new ArrayList<>(List.of(pending)));
            }
        }
    }

    /** Stores what is already queued, then stops the writers. */
    void close() {
        running = false;
        for (Thread writer : writers) {
            try {
                writer.join(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

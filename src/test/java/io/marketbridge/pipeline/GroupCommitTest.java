package io.marketbridge.pipeline;

import io.marketbridge.model.InboundEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Group commit without a database: what shares a transaction, and when each caller is answered. */
class GroupCommitTest {

    private final List<List<String>> transactions = new CopyOnWriteArrayList<>();
    private final Set<String> table = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final CountDownLatch firstCommit = new CountDownLatch(1);
    private final CountDownLatch firstCommitOpen = new CountDownLatch(1);
    private GroupCommit commits;
    /** One thread per sender, as a web server's worker pool gives each request (the common pool may have only one). */
    private final java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newCachedThreadPool();

    /** A store that holds its first transaction open until released, as a slow disk flush would. */
    private Set<String> store(List<InboundEvent> events) throws Exception {
        List<String> keys = events.stream().map(InboundEvent::key).toList();
        if (keys.contains("bad")) {
            throw new IllegalStateException("value too long for column event_key");
        }
        if (transactions.isEmpty()) {
            firstCommitOpen.countDown();
            firstCommit.await(10, TimeUnit.SECONDS);
        }
        transactions.add(keys);
        Set<String> stored = new HashSet<>();
        for (String key : keys) {
            if (table.add(key)) {
                stored.add(key);
            }
        }
        return stored;
    }

    @AfterEach
    void close() {
        commits.close();
        senders.shutdownNow();
    }

    private static InboundEvent event(String key) {
        return new InboundEvent("ebay", key, "ebay.ItemListed", "<payload/>", "item " + key);
    }

    /** Starts a first transaction that stays open until {@link #firstCommit} is released. */
    private CompletableFuture<Boolean> openFirstTransaction(String key) throws InterruptedException {
        CompletableFuture<Boolean> first = storeAsync(key);
        assertTrue(firstCommitOpen.await(10, TimeUnit.SECONDS), "the first transaction started");
        return first;
    }

    /** Waits until this many deliveries are queued behind the open transaction. */
    private void awaitQueued(int count) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (commits.waiting() < count && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(count, commits.waiting(), "deliveries queued behind the open transaction");
    }

    private CompletableFuture<Boolean> storeAsync(String key) {
        return CompletableFuture.supplyAsync(() -> commits.store(event(key)), senders);
    }

    @Test
    void deliveriesArrivingDuringACommitShareTheNextOneAndAreAnsweredOnlyOnceItIsDone() throws Exception {
        commits = new GroupCommit(this::store, 1, 256, Duration.ofSeconds(10));
        CompletableFuture<Boolean> first = openFirstTransaction("e0");
        List<CompletableFuture<Boolean>> waiting = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            waiting.add(storeAsync("e" + i));
        }
        awaitQueued(10);
        assertFalse(first.isDone(), "not answered before its transaction commits");
        assertTrue(waiting.stream().noneMatch(CompletableFuture::isDone));
        firstCommit.countDown();
        assertTrue(first.get(10, TimeUnit.SECONDS));
        for (CompletableFuture<Boolean> answer : waiting) {
            assertTrue(answer.get(10, TimeUnit.SECONDS));
        }
        assertEquals(List.of(List.of("e0"), List.of("e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9", "e10")), sorted(transactions));
    }

    @Test
    void aRepeatInTheSameTransactionIsADuplicateAndAKnownKeyToo() throws Exception {
        commits = new GroupCommit(this::store, 1, 256, Duration.ofSeconds(10));
        CompletableFuture<Boolean> first = openFirstTransaction("opening");
        CompletableFuture<Boolean> a = storeAsync("same");
        CompletableFuture<Boolean> b = storeAsync("same");
        awaitQueued(2);
        firstCommit.countDown();
        first.get(10, TimeUnit.SECONDS);
        assertEquals(Set.of(true, false), Set.of(a.get(10, TimeUnit.SECONDS), b.get(10, TimeUnit.SECONDS)), "stored once, the other a duplicate");
        assertFalse(commits.store(event("same")), "a key already stored is a duplicate");
    }

    @Test
    void oneBadDeliveryFailsAloneNotTheOthersSharingItsTransaction() throws Exception {
        commits = new GroupCommit(this::store, 1, 256, Duration.ofSeconds(10));
        CompletableFuture<Boolean> first = openFirstTransaction("opening");
        CompletableFuture<Boolean> good = storeAsync("good");
        CompletableFuture<Boolean> bad = storeAsync("bad");
        awaitQueued(2);
        firstCommit.countDown();
        first.get(10, TimeUnit.SECONDS);
        assertTrue(good.get(10, TimeUnit.SECONDS));
        Exception failure = assertThrows(Exception.class, () -> bad.get(10, TimeUnit.SECONDS));
        assertTrue(failure.getCause().getMessage().contains("value too long"), failure.getCause().getMessage());
        assertTrue(table.contains("good"));
    }

    @Test
    void afterCloseNothingIsTakenAndWhatWasQueuedIsStored() throws Exception {
        commits = new GroupCommit(this::store, 2, 256, Duration.ofSeconds(10));
        firstCommit.countDown();
        assertTrue(commits.store(event("before-close")));
        commits.close();
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> commits.store(event("after-close")));
        assertTrue(refused.getMessage().contains("shutting down"));
        assertFalse(table.contains("after-close"));
    }

    private static List<List<String>> sorted(List<List<String>> transactions) {
        return transactions.stream().map(keys -> keys.stream().sorted(java.util.Comparator.comparingInt(k -> Integer.parseInt(k.substring(1))))
                .toList()).toList();
    }
}

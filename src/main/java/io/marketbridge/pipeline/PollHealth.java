package io.marketbridge.pipeline;

import io.marketbridge.config.MarketbridgeConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.Handler;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How every poller paces itself and reports: an idle poller backs off (its timer firings are
 * skipped, doubling up to a cap) and returns to its base rate at the first change; three failures
 * in a row or an unusual burst raise an alert. Metrics per poll: runs (and runs in the last hour),
 * changes found, duplicates absorbed (counted by the pollers), calls used and duration.
 */
@Singleton
@Named("pollHealth")
public class PollHealth {

    private static final Logger LOG = Logger.getLogger(PollHealth.class);

    /** What one poll found (new changes, and duplicates the inbox absorbed), and how many calls to its peer it took. */
    @RegisterForReflection
    public record Result(int changes, int duplicates, int calls) {
    }

    private static final class State {
        int idleStreak;
        int skipsLeft;
        int failures;
        Instant lastRun;
        Instant lastChange;
        String lastError;
        final Deque<Instant> runs = new ArrayDeque<>();

        synchronized int runsLastHour() {
            Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
            while (!runs.isEmpty() && runs.peekFirst().isBefore(hourAgo)) {
                runs.removeFirst();
            }
            return runs.size();
        }
    }

    private final Map<String, State> polls = new ConcurrentHashMap<>();
    private final MarketbridgeConfig.Polling config;
    private final Alerts alerts;
    private final MeterRegistry metrics;

    PollHealth(MarketbridgeConfig config, Alerts alerts, MeterRegistry metrics) {
        this.config = config.polling();
        this.alerts = alerts;
        this.metrics = metrics;
    }

    /** For a poll's timer route: false while an idle poller skips this firing. */
    @Handler
    public boolean due(String poll) {
        State state = state(poll);
        synchronized (state) {
            if (state.skipsLeft > 0) {
                state.skipsLeft--;
                return false;
            }
            return true;
        }
    }

    /** Runs one poll: times it, counts it, paces the next ones and raises or clears its alerts. */
    public void run(String poll, Callable<Result> body) throws Exception {
        State state = state(poll);
        long started = System.nanoTime();
        Result result;
        try {
            result = body.call();
        } catch (Exception e) {
            failed(poll, state, e);
            if (e instanceof SyncFailure) {
                return; // a peer's failure is reported above; the next run resumes from the cursor
            }
            throw e;
        } finally {
            metrics.timer("marketbridge.poll.duration", "poll", poll).record(Duration.ofNanos(System.nanoTime() - started));
        }
        metrics.counter("marketbridge.poll.runs", "poll", poll, "outcome", "ok").increment();
        metrics.counter("marketbridge.poll.calls", "poll", poll).increment(result.calls());
        metrics.counter("marketbridge.poll.changes", "poll", poll).increment(result.changes());
        metrics.counter("marketbridge.poll.duplicates", "poll", poll).increment(result.duplicates());
        synchronized (state) {
            state.runs.addLast(Instant.now());
            state.lastRun = Instant.now();
            state.failures = 0;
            state.lastError = null;
            if (result.changes() > 0) {
                state.idleStreak = 0;
                state.skipsLeft = 0;
                state.lastChange = Instant.now();
            } else {
                // skip 1, 3, 7... firings: the interval doubles until the cap
                state.idleStreak = Math.min(state.idleStreak + 1, 31 - Integer.numberOfLeadingZeros(Math.max(1, config.idleBackoffCap())));
                state.skipsLeft = (1 << state.idleStreak) - 1;
            }
        }
        alerts.clear("poll-failing:" + poll);
        if (result.changes() > config.burst()) {
            alerts.raise("poll-burst:" + poll, poll + " found " + result.changes() + " changes in one poll (more than "
                    + config.burst() + "): check for a bulk edit or a replay on the peer's side");
        } else {
            alerts.clear("poll-burst:" + poll);
        }
    }

    private void failed(String poll, State state, Exception e) {
        metrics.counter("marketbridge.poll.runs", "poll", poll, "outcome", "failed").increment();
        int failures;
        synchronized (state) {
            state.runs.addLast(Instant.now());
            state.lastRun = Instant.now();
            state.lastError = e.getMessage();
            state.skipsLeft = 0; // a failing poll retries at its base rate
            failures = ++state.failures;
        }
        LOG.warnf("%s failed (%d in a row): %s", poll, failures, e.getMessage());
        if (failures >= config.failuresBeforeAlert()) {
            alerts.raise("poll-failing:" + poll, poll + " failed " + failures + " times in a row; last: " + e.getMessage());
        }
    }

    /** Per poll: runs in the last hour, current back-off, failures in a row, last change and error. */
    public Map<String, Object> status() {
        Map<String, Object> status = new TreeMap<>();
        polls.forEach((poll, state) -> {
            synchronized (state) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("runsLastHour", state.runsLastHour());
                one.put("idleBackoff", 1 << state.idleStreak);
                one.put("failuresInARow", state.failures);
                one.put("lastRun", state.lastRun);
                one.put("lastChange", state.lastChange);
                one.put("lastError", state.lastError);
                status.put(poll, one);
            }
        });
        return status;
    }

    private State state(String poll) {
        return polls.computeIfAbsent(poll, p -> {
            State state = new State();
            Gauge.builder("marketbridge.poll.runs.last.hour", state, State::runsLastHour).tag("poll", p)
                    .description("Polls run in the last hour").register(metrics);
            return state;
        });
    }
}

package io.marketbridge.channels;

import io.marketbridge.config.MarketbridgeConfig;
import io.marketbridge.odoo.OdooCatalogFeed;
import io.marketbridge.pipeline.RejectedInput;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.Header;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Full syncs of one channel: the whole Odoo catalog read a page at a time (never held whole),
 * routed, and every value re-asserted, zero quantities included, so a push the channel lost or
 * falsely acknowledged heals. A dry run computes the same plan and sends nothing. One run per
 * channel at a time; a running one can be cancelled; progress and the last error per channel are
 * in the admin status.
 */
@Singleton
@Named("channelSyncRuns")
public class ChannelSyncRuns {

    private static final Logger LOG = Logger.getLogger(ChannelSyncRuns.class);
    /** Plan entries kept for a dry run's report; counts cover everything. */
    private static final int PLAN_SHOWN = 10_000;

    /** One run: live counters while it runs, the outcome after. */
    public static final class Run {
        public final String channel;
        public final boolean dryRun;
        public final Instant started = Instant.now();
        public volatile Instant finished;
        public volatile String state = "RUNNING";
        public volatile String error;
        public volatile long variantsRead;
        public volatile ChannelSync.Totals totals = ChannelSync.Totals.NONE;
        public final Map<String, Integer> planCounts = new ConcurrentHashMap<>();
        public final List<ChannelSync.PlanEntry> plan = new ArrayList<>();
        volatile boolean cancelled;

        Run(String channel, boolean dryRun) {
            this.channel = channel;
            this.dryRun = dryRun;
        }

        public Map<String, Object> report() {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("channel", channel);
            report.put("dryRun", dryRun);
            report.put("state", state);
            report.put("started", started);
            report.put("finished", finished);
            report.put("variantsRead", variantsRead);
            if (dryRun) {
                report.put("planned", new LinkedHashMap<>(planCounts));
            } else {
                report.put("totals", totals);
            }
            report.put("error", error);
            return report;
        }
    }

    private final ChannelSync sync;
    private final OdooCatalogFeed feed;
    private final int pageSize;
    private final Map<String, Run> latest = new ConcurrentHashMap<>();

    ChannelSyncRuns(ChannelSync sync, OdooCatalogFeed feed, MarketbridgeConfig config) {
        this.sync = sync;
        this.feed = feed;
        this.pageSize = config.channels().pageSize();
    }

    /** {@code POST /admin/sync/{channel}?dryRun=}: registers the run (409 while one runs); the caller runs it in the background. */
    public Map<String, Object> start(@Header("channel") String channel, @Header("dryRun") String dryRun) {
        boolean dry = parseDryRun(dryRun);
        ChannelConnector connector = connector(channel);
        if (!connector.enabled()) {
            throw new RejectedInput(409, channel + " is not enabled or not configured");
        }
        Run run = new Run(channel, dry);
        Run current = latest.compute(channel, (c, previous) -> previous != null && previous.finished == null ? previous : run);
        if (current != run) {
            throw new RejectedInput(409, "a " + (current.dryRun ? "dry run" : "sync") + " of " + channel + " is running since "
                    + current.started + "; DELETE /admin/sync/" + channel + " cancels it");
        }
        return run.report();
    }

    /** Runs the registered run of {@code channel} to its end (the background half of {@link #start}). */
    public void run(@Header("channel") String channel) {
        Run run = latest.get(channel);
        if (run == null || run.finished != null) {
            return;
        }
        try {
            long afterId = 0;
            while (!run.cancelled) {
                OdooCatalogFeed.Page page = feed.page(afterId, pageSize);
                run.variantsRead += page.variants().size();
                sync.resolveOffers(channel, page.variants());
                List<CatalogItem> items = sync.route(page.variants()).getOrDefault(channel, List.of());
                if (run.dryRun) {
                    for (ChannelSync.PlanEntry entry : sync.plan(channel, items, true)) {
                        run.planCounts.merge(entry.action(), 1, Integer::sum);
                        if (run.plan.size() < PLAN_SHOWN) {
                            synchronized (run.plan) {
                                run.plan.add(entry);
                            }
                        }
                    }
                } else {
                    run.totals = run.totals.plus(sync.push(channel, items, true, () -> run.cancelled));
                }
                if (page.last()) {
                    break;
                }
                afterId = page.lastId();
            }
            run.state = run.cancelled ? "CANCELLED" : "DONE";
        } catch (Exception e) {
            run.state = "FAILED";
            run.error = e.getMessage();
            LOG.errorf("Full %s of %s failed after %d variants: %s", run.dryRun ? "dry run" : "sync", channel, run.variantsRead, e.getMessage());
        } finally {
            run.finished = Instant.now();
        }
        LOG.infof("Full %s of %s %s: %s", run.dryRun ? "dry run" : "sync", channel, run.state, run.report());
    }

    /** The nightly reconciliation: every enabled channel in turn, skipping one already running. */
    public void reconcileAll() {
        for (String channel : sync.channels()) {
            if (!sync.connector(channel).enabled()) {
                continue;
            }
            try {
                start(channel, "false");
                run(channel);
            } catch (RejectedInput busy) {
                LOG.warnf("Nightly reconciliation of %s skipped: %s", channel, busy.getMessage());
            }
        }
    }

    /** {@code DELETE /admin/sync/{channel}}: 404 when nothing runs. */
    public Map<String, Object> cancel(@Header("channel") String channel) {
        connector(channel);
        Run run = latest.get(channel);
        if (run == null || run.finished != null) {
            throw new RejectedInput(404, "no sync of " + channel + " is running");
        }
        run.cancelled = true;
        return run.report();
    }

    /** {@code GET /admin/sync/{channel}}: the latest run, with a dry run's plan. */
    public Map<String, Object> latest(@Header("channel") String channel) {
        connector(channel);
        Run run = latest.get(channel);
        if (run == null) {
            throw new RejectedInput(404, "no sync of " + channel + " has run since start-up");
        }
        Map<String, Object> report = run.report();
        if (run.dryRun) {
            synchronized (run.plan) {
                report.put("plan", List.copyOf(run.plan));
            }
        }
        return report;
    }

    /** Per channel: the latest run's progress, counts and error, for the admin status. */
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        for (String channel : sync.channels()) {
            Run run = latest.get(channel);
            status.put(channel, run == null ? Map.of("enabled", sync.connector(channel).enabled()) : run.report());
        }
        return status;
    }

    private ChannelConnector connector(String channel) {
        try {
            return sync.connector(channel);
        } catch (IllegalArgumentException e) {
            throw new RejectedInput(404, e.getMessage());
        }
    }

    private static boolean parseDryRun(String value) {
        if (value == null || value.isBlank() || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw new RejectedInput(400, "dryRun must be true or false, got '" + value + "'");
    }
}

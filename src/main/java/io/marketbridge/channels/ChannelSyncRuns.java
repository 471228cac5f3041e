package io.marketbridge.channels;

import io.marketbridge.admin.StatusSection;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

/**
 * Full syncs: the whole Odoo catalog read a page at a time (never held whole), routed, and every
 * value re-asserted, zero quantities included, so a push a channel lost or falsely acknowledged
 * heals. One run covers one channel ({@code POST /admin/sync/cartona}) or every enabled channel
 * ({@code /admin/sync/all}, and the nightly reconciliation): the catalog is then read once and the
 * channels are pushed side by side, while the next page is read ahead. A dry run computes the same
 * plan and sends nothing. One run per channel at a time; a running one can be cancelled, per channel
 * or whole; progress and the last error per channel are in the admin status.
 */
@Singleton
@Named("channelSyncRuns")
public class ChannelSyncRuns implements StatusSection {

    /** The name that stands for every enabled channel in {@code /admin/sync/{channel}}. */
    public static final String ALL = "all";
    private static final Logger LOG = Logger.getLogger(ChannelSyncRuns.class);
    /** Plan entries kept per channel for a dry run's report; counts cover everything. */
    private static final int PLAN_SHOWN = 10_000;

    /** One channel's part of a run: live counters while it runs, the outcome after. */
    static final class Part {
        final String channel;
        volatile String state = "RUNNING";
        volatile String error;
        volatile boolean cancelled;
        volatile ChannelSync.Totals totals = ChannelSync.Totals.NONE;
        /** What the run withdrew at its end: shown on the channel with stock, no longer carried. */
        volatile ChannelSync.Totals withdrawn = ChannelSync.Totals.NONE;
        final Map<String, Integer> planCounts = new ConcurrentHashMap<>();
        final List<PlanEntry> plan = new ArrayList<>();

        Part(String channel) {
            this.channel = channel;
        }

        boolean active() {
            return "RUNNING".equals(state) && !cancelled;
        }

        void planned(List<PlanEntry> entries) {
            for (PlanEntry entry : entries) {
                planCounts.merge(entry.action(), 1, Integer::sum);
            }
            synchronized (plan) {
                plan.addAll(entries.subList(0, Math.max(0, Math.min(entries.size(), PLAN_SHOWN - plan.size()))));
            }
        }
    }

    /** One run over one or more channels. */
    static final class Run {
        final boolean dryRun;
        final Instant started = Instant.now();
        final Map<String, Part> parts = new LinkedHashMap<>();
        volatile Instant finished;
        volatile long variantsRead;

        Run(List<String> channels, boolean dryRun) {
            this.dryRun = dryRun;
            channels.forEach(channel -> parts.put(channel, new Part(channel)));
        }

        List<String> activeChannels() {
            return parts.values().stream().filter(Part::active).map(part -> part.channel).toList();
        }

        boolean cancelled() {
            return parts.values().stream().allMatch(part -> part.cancelled);
        }

        /** RUNNING, then DONE, or FAILED / CANCELLED when any part was. */
        String state() {
            if (finished == null) {
                return "RUNNING";
            }
            if (parts.values().stream().anyMatch(part -> part.state.equals("FAILED"))) {
                return "FAILED";
            }
            return parts.values().stream().anyMatch(part -> part.state.equals("CANCELLED")) ? "CANCELLED" : "DONE";
        }

        /** One channel's view (with the plan of a dry run when asked for). */
        Map<String, Object> report(String channel, boolean withPlan) {
            Part part = parts.get(channel);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("channel", channel);
            report.put("dryRun", dryRun);
            report.put("state", part.state);
            report.put("started", started);
            report.put("finished", finished);
            report.put("variantsRead", variantsRead);
            if (parts.size() > 1) {
                report.put("runWith", List.copyOf(parts.keySet()));
            }
            if (dryRun) {
                report.put("planned", new LinkedHashMap<>(part.planCounts));
            } else {
                report.put("totals", part.totals);
                report.put("withdrawn", part.withdrawn);
            }
            report.put("error", part.error);
            if (dryRun && withPlan) {
                synchronized (part.plan) {
                    report.put("plan", List.copyOf(part.plan));
                }
            }
            return report;
        }

        /** The whole run: its state and every channel's view. */
        Map<String, Object> report(boolean withPlan) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("channels", List.copyOf(parts.keySet()));
            report.put("dryRun", dryRun);
            report.put("state", state());
            report.put("started", started);
            report.put("finished", finished);
            report.put("variantsRead", variantsRead);
            Map<String, Object> byChannel = new LinkedHashMap<>();
            parts.keySet().forEach(channel -> byChannel.put(channel, report(channel, withPlan)));
            report.put("byChannel", byChannel);
            return report;
        }
    }

    private final ChannelSync sync;
    private final OdooCatalogFeed feed;
    private final int pageSize;
    /** Per channel (and {@link #ALL}), the latest run that covered it. */
    private final Map<String, Run> latest = new ConcurrentHashMap<>();

    ChannelSyncRuns(ChannelSync sync, OdooCatalogFeed feed, MarketbridgeConfig config) {
        this.sync = sync;
        this.feed = feed;
        this.pageSize = config.channels().pageSize();
    }

    /**
     * {@code POST /admin/sync/{channel}?dryRun=}: registers the run of one channel, or of every
     * enabled one for {@code all} (409 while any of them runs); the caller runs it in the background.
     */
    public synchronized Map<String, Object> start(@Header("channel") String channel, @Header("dryRun") String dryRun) {
        boolean dry = parseDryRun(dryRun);
        List<String> channels;
        if (ALL.equals(channel)) {
            channels = sync.channels().stream().filter(c -> sync.connector(c).enabled()).toList();
            if (channels.isEmpty()) {
                throw new RejectedInput(409, "no channel is enabled and configured");
            }
        } else {
            if (!connector(channel).enabled()) {
                throw new RejectedInput(409, channel + " is not enabled or not configured");
            }
            channels = List.of(channel);
        }
        for (String c : channels) {
            Run current = latest.get(c);
            if (current != null && current.finished == null) {
                throw new RejectedInput(409, "a " + (current.dryRun ? "dry run" : "sync") + " of " + c + " is running since "
                        + current.started + "; DELETE /admin/sync/" + c + " cancels it");
            }
        }
        Run run = new Run(channels, dry);
        channels.forEach(c -> latest.put(c, run));
        if (ALL.equals(channel)) {
            latest.put(ALL, run);
        }
        return ALL.equals(channel) ? run.report(false) : run.report(channel, false);
    }

    /** Runs the registered run of {@code channel} (or {@code all}) to its end: the background half of {@link #start}. */
    public void run(@Header("channel") String channel) {
        Run run = latest.get(channel);
        if (run == null || run.finished != null) {
            return;
        }
        try {
            prepare(run);
            Future<OdooCatalogFeed.Page> next = readAhead(0);
            while (!run.activeChannels().isEmpty()) {
                OdooCatalogFeed.Page page = ChannelSync.join(next);
                run.variantsRead += page.variants().size();
                if (!page.last()) {
                    next = readAhead(page.lastId()); // read while this page is pushed
                }
                Map<String, List<CatalogItem>> routed = sync.route(page.variants());
                List<Part> active = run.parts.values().stream().filter(Part::active).toList();
                List<CompletableFuture<Void>> pushes = active.stream()
                        .map(part -> CompletableFuture.runAsync(() -> sync(run, part, routed.getOrDefault(part.channel, List.of())),
                                sync.workers()))
                        .toList();
                CompletableFuture.allOf(pushes.toArray(CompletableFuture[]::new)).join();
                if (page.last()) {
                    break;
                }
            }
            run.parts.values().stream().filter(Part::active).forEach(part -> withdrawNotCarried(run, part));
        } catch (Exception e) {
            run.parts.values().stream().filter(Part::active).forEach(part -> fail(run, part, e));
        } finally {
            run.parts.values().stream().filter(part -> part.state.equals("RUNNING")).forEach(part -> part.state = part.cancelled ? "CANCELLED" : "DONE");
            run.finished = Instant.now();
        }
        run.parts.keySet().forEach(c -> LOG.infof("Full %s of %s %s: %s", run.dryRun ? "dry run" : "sync", c, run.parts.get(c).state,
                run.report(c, false)));
    }

    /** eBay first learns which SKUs it lists; a failure there stops eBay's part only. */
    private void prepare(Run run) {
        for (Part part : run.parts.values()) {
            try {
                sync.prepareFullSync(part.channel, () -> part.cancelled);
            } catch (RuntimeException e) {
                fail(run, part, e);
            }
        }
    }

    private Future<OdooCatalogFeed.Page> readAhead(long afterId) {
        return sync.workers().submit(() -> feed.page(afterId, pageSize));
    }

    /** One page for one channel: pushed (every value re-asserted) or, in a dry run, planned. */
    private void sync(Run run, Part part, List<CatalogItem> items) {
        try {
            if (run.dryRun) {
                part.planned(sync.plan(part.channel, items, true));
            } else {
                ChannelSync.Totals pushed = sync.push(part.channel, items, true, () -> part.cancelled);
                synchronized (part) {
                    part.totals = part.totals.plus(pushed);
                }
            }
        } catch (Exception e) {
            fail(run, part, e);
        }
    }

    /** The whole catalog was re-asserted (or planned): what the channel still shows with stock and no longer carries is withdrawn (or planned so). */
    private void withdrawNotCarried(Run run, Part part) {
        try {
            if (run.dryRun) {
                sync.planWithdrawals(part.channel, () -> part.cancelled, part::planned);
            } else {
                part.withdrawn = sync.withdrawNotCarried(part.channel, run.started, () -> part.cancelled);
            }
        } catch (Exception e) {
            fail(run, part, e);
        }
    }

    private void fail(Run run, Part part, Exception e) {
        part.state = "FAILED";
        part.error = e.getMessage();
        LOG.errorf("Full %s of %s failed after %d variants: %s", run.dryRun ? "dry run" : "sync", part.channel, run.variantsRead,
                e.getMessage());
    }

    /** The nightly reconciliation: every enabled channel, the catalog read once; skipped while a run covers any of them. */
    public void reconcileAll() {
        try {
            start(ALL, "false");
            run(ALL);
        } catch (RejectedInput busy) {
            LOG.warnf("Nightly reconciliation skipped: %s", busy.getMessage());
        }
    }

    /** {@code DELETE /admin/sync/{channel}}: cancels that channel's part (or, for {@code all}, the whole run); 404 when nothing runs. */
    public Map<String, Object> cancel(@Header("channel") String channel) {
        Run run = running(channel);
        if (ALL.equals(channel)) {
            run.parts.values().forEach(part -> part.cancelled = true);
            return run.report(false);
        }
        run.parts.get(channel).cancelled = true;
        return run.report(channel, false);
    }

    /** {@code GET /admin/sync/{channel}}: the latest run, with a dry run's plan. */
    public Map<String, Object> latest(@Header("channel") String channel) {
        if (!ALL.equals(channel)) {
            connector(channel);
        }
        Run run = latest.get(channel);
        if (run == null) {
            throw new RejectedInput(404, "no sync of " + channel + " has run since start-up");
        }
        return ALL.equals(channel) ? run.report(true) : run.report(channel, true);
    }

    @Override
    public String section() {
        return "channelSyncs";
    }

    @Override
    public int order() {
        return 20;
    }

    /** Per channel: the latest run's progress, counts and error, for the admin status. */
    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        for (String channel : sync.channels()) {
            Run run = latest.get(channel);
            status.put(channel, run == null ? Map.of("enabled", sync.connector(channel).enabled()) : run.report(channel, false));
        }
        return status;
    }

    private Run running(String channel) {
        if (!ALL.equals(channel)) {
            connector(channel);
        }
        Run run = latest.get(channel);
        if (run == null || run.finished != null || (!ALL.equals(channel) && !run.parts.get(channel).active())) {
            throw new RejectedInput(404, "no sync of " + channel + " is running");
        }
        return run;
    }

    private ChannelConnector connector(String channel) {
        try {
            return sync.connector(channel);
        } catch (IllegalArgumentException e) {
            throw new RejectedInput(404, e.getMessage() + " (or " + ALL + ")");
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

package io.marketbridge.ebay.listings;

import io.marketbridge.admin.StatusSection;
import io.marketbridge.pipeline.Database;
import io.marketbridge.pipeline.RejectedInput;
import io.marketbridge.pipeline.SyncFailure;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.Header;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The full import of the seller's eBay catalog, started from the admin API and run in the
 * background through the inventory poll's page logic: every published listing missing in Odoo goes
 * to the inbox for the product upsert. Progress is stored after each page, so an interrupted run
 * (a failed page, a stop, a crash) continues from the last completed page: by itself after a restart,
 * or on the next start request ({@code restart=true} starts over). One run at a time per service.
 * After the inventory, the seller's active listings are read the same way (GetMyeBaySelling, a page at a time,
 * {@link EbayInventoryPoller#activePage(int)}), so listings without an Inventory API offer (Seller Hub, Trading API)
 * are imported too.
 */
@Singleton
@Named("ebayListingsBackfill")
public class EbayListingsBackfill implements StatusSection {

    private static final Logger LOG = Logger.getLogger(EbayListingsBackfill.class);
    static final String NAME = "ebay-listings";
    private static final String RUNNING = "RUNNING", FAILED = "FAILED", COMPLETED = "COMPLETED";
    private static final int MAX_ERROR = 2000;

    /**
     * A run's stored progress. {@code nextPage} is eBay's link to the next inventory page (null: the first page);
     * {@code queued} counts inventory listings this run put in the inbox; {@code interruptions} counts pages that
     * failed. Once the inventory is read, {@code activePage} is the next page of the active listings (null before),
     * and {@code activeRead} and {@code activeQueued} count the active listings read and queued.
     */
    @RegisterForReflection
    public record Run(String state, String nextPage, int pages, Integer total, int itemsRead, int alreadyInOdoo, int queued,
            int unlisted, int interruptions, OffsetDateTime startedAt, OffsetDateTime updatedAt, OffsetDateTime finishedAt,
            String lastError, Integer activePage, int activeRead, int activeQueued) {

        static Run fresh() {
            OffsetDateTime now = now();
            return new Run(RUNNING, null, 0, null, 0, 0, 0, 0, 0, now, now, null, null, null, 0, 0);
        }

        Run resumed() {
            return new Run(RUNNING, nextPage, pages, total, itemsRead, alreadyInOdoo, queued, unlisted, interruptions, startedAt,
                    now(), null, lastError, activePage, activeRead, activeQueued);
        }

        /** After an inventory page: the next one, or the first page of the active listings after the last. */
        Run after(EbayInventoryPoller.Page page) {
            return new Run(RUNNING, page.next(), pages + 1, page.total(), itemsRead + page.size(),
                    alreadyInOdoo + page.alreadyInOdoo(), queued + page.queued(), unlisted + page.unlisted(), interruptions, startedAt,
                    now(), null, lastError, page.last() ? Integer.valueOf(1) : null, activeRead, activeQueued);
        }

        /** After a page of the active listings: the next one, or done after the last. */
        Run after(EbayInventoryPoller.ActivePage page) {
            OffsetDateTime now = now();
            return new Run(page.last() ? COMPLETED : RUNNING, nextPage, pages, total, itemsRead, alreadyInOdoo, queued, unlisted,
                    interruptions, startedAt, now, page.last() ? now : null, lastError, page.pageNumber() + 1, activeRead + page.listings(),
                    activeQueued + page.queued());
        }

        Run failed(String error) {
            return new Run(FAILED, nextPage, pages, total, itemsRead, alreadyInOdoo, queued, unlisted, interruptions + 1, startedAt,
                    now(), null, error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR - 1) + "…", activePage, activeRead,
                    activeQueued);
        }

        boolean resumable() {
            return state.equals(RUNNING) || state.equals(FAILED);
        }
    }

    /**
     * A run as the admin API shows it: stored progress, whether it is running in this service now,
     * and what became of the listings imported since it started (inbox events done, dead-lettered, waiting).
     */
    @RegisterForReflection
    public record Progress(Run run, boolean active, long imported, long failed, long waiting) {
    }

    private final EbayInventoryPoller inventory;
    private final Database db;
    private final AtomicBoolean active = new AtomicBoolean();
    private volatile boolean stopping;

    EbayListingsBackfill(EbayInventoryPoller inventory, Database db) {
        this.inventory = inventory;
        this.db = db;
    }

    /**
     * Claims the run for this service (409 while one runs) and stores where it starts: the last
     * completed page of an interrupted run, else (or with {@code restart=true}) the beginning.
     * The admin route then hands {@link #run()} to a background thread.
     */
    public Progress start(@Header("restart") String restart) throws SQLException {
        boolean startOver = switch (restart == null ? "" : restart.trim().toLowerCase()) {
            case "", "false" -> false;
            case "true" -> true;
            default -> throw new RejectedInput(400, "restart must be true or false, got '" + restart + "'");
        };
        if (!inventory.sellerConnected()) {
            throw new RejectedInput(409, "no eBay seller is connected (or eBay calls are paused): nothing to backfill");
        }
        if (!active.compareAndSet(false, true)) {
            throw new RejectedInput(409, "an eBay listings backfill is already running"
                    + load().map(r -> " (" + r.pages() + " page(s) of " + r.total() + " item(s) read)").orElse(""));
        }
        try {
            Optional<Run> previous = load();
            Run run = !startOver && previous.isPresent() && previous.get().resumable() ? previous.get().resumed() : Run.fresh();
            save(run);
            LOG.infof("eBay listings backfill %s at page %d", run.pages() == 0 ? "started" : "resumed", run.pages() + 1);
            return progress(run);
        } catch (SQLException | RuntimeException e) {
            active.set(false);
            throw e;
        }
    }

    /** After a restart: claims a run that was still running when the service stopped; true if there is one. */
    public boolean resumeInterrupted() throws SQLException {
        Optional<Run> stored = load();
        if (stored.isEmpty() || !stored.get().state().equals(RUNNING) || !inventory.sellerConnected()
                || !active.compareAndSet(false, true)) {
            return false;
        }
        LOG.infof("Resuming the eBay listings backfill interrupted at page %d", stored.get().pages() + 1);
        return true;
    }

    /** Reads page after page from the stored next page link, storing progress after each; a failed page stops the run. */
    public void run() throws SQLException {
        try {
            Run run = load().orElseGet(Run::fresh);
            while (run.state().equals(RUNNING) && !stopping) {
                try {
                    run = run.activePage() == null ? run.after(inventory.page(run.nextPage()))
                            : run.after(inventory.activePage(run.activePage()));
                } catch (SQLException | RuntimeException e) {
                    String reason = e instanceof SyncFailure ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
                    run = run.failed(reason);
                    LOG.warnf("eBay listings backfill stopped at page %d (%d page(s) done): %s. POST /admin/sync/ebay-listings resumes it there.",
                            run.pages() + 1, run.pages(), reason);
                }
                save(run);
            }
            if (run.state().equals(COMPLETED)) {
                LOG.infof("eBay listings backfill done: %d page(s), %d item(s), %d listing(s) queued for import; %d active listing(s) read,"
                        + " %d queued", run.pages(), run.itemsRead(), run.queued(), run.activeRead(), run.activeQueued());
            }
        } finally {
            active.set(false);
        }
    }

    /** The service is stopping: the run ends after its current page and is resumed at the next start. */
    void stopping(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @Override
    public String section() {
        return "ebayListingsBackfill";
    }

    @Override
    public int order() {
        return 12;
    }

    /** For the admin status: the latest run's progress, or {@code {"state":"NEVER_RUN"}}. */
    @Override
    public Object status() throws SQLException {
        Optional<Run> run = load();
        return run.isPresent() ? progress(run.get()) : Map.of("state", "NEVER_RUN");
    }

    private Progress progress(Run run) throws SQLException {
        Map<String, Long> byStatus = new TreeMap<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT status, COUNT(*) FROM inbox_event"
                + " WHERE event_type IN (?, ?) AND received_at >= ? GROUP BY status")) {
            ps.setString(1, EbayInventoryPoller.EVENT_TYPE);
            ps.setString(2, EbayInventoryPoller.ACTIVE_EVENT_TYPE);
            ps.setObject(3, run.startedAt());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byStatus.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return new Progress(run, active.get(), byStatus.getOrDefault("DONE", 0L), byStatus.getOrDefault("DEAD", 0L),
                byStatus.getOrDefault("PENDING", 0L) + byStatus.getOrDefault("PROCESSING", 0L));
    }

    // --- storage -------------------------------------------------------------------------------

    private Optional<Run> load() throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT state, next_page, pages, total,"
                + " items_read, already_in_odoo, queued, unlisted, interruptions, started_at, updated_at, finished_at, last_error,"
                + " active_page, active_read, active_queued FROM catalog_backfill WHERE name = ?")) {
            ps.setString(1, NAME);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Run(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getObject(4, Integer.class), rs.getInt(5),
                        rs.getInt(6), rs.getInt(7), rs.getInt(8), rs.getInt(9), rs.getObject(10, OffsetDateTime.class),
                        rs.getObject(11, OffsetDateTime.class), rs.getObject(12, OffsetDateTime.class), rs.getString(13),
                        rs.getObject(14, Integer.class), rs.getInt(15), rs.getInt(16)));
            }
        }
    }

    private void save(Run run) throws SQLException {
        Object[] values = {run.state(), run.nextPage(), run.itemsRead(), run.pages(), run.total(), run.itemsRead(), run.alreadyInOdoo(),
                run.queued(), run.unlisted(), run.interruptions(), run.startedAt(), run.updatedAt(), run.finishedAt(), run.lastError(),
                run.activePage(), run.activeRead(), run.activeQueued(), NAME};
        try (Connection c = db.connection()) {
            if (Database.execute(c, "UPDATE catalog_backfill SET state = ?, next_page = ?, next_offset = ?, pages = ?, total = ?, items_read = ?,"
                    + " already_in_odoo = ?, queued = ?, unlisted = ?, interruptions = ?, started_at = ?, updated_at = ?,"
                    + " finished_at = ?, last_error = ?, active_page = ?, active_read = ?, active_queued = ? WHERE name = ?", values) == 0) {
                Database.execute(c, "INSERT INTO catalog_backfill (state, next_page, next_offset, pages, total, items_read, already_in_odoo,"
                        + " queued, unlisted, interruptions, started_at, updated_at, finished_at, last_error, active_page, active_read,"
                        + " active_queued, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values);
            }
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}

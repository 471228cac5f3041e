package io.marketbridge.cluster;

import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.support.cluster.AbstractCamelClusterView;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One election (a {@code master:} namespace) as Camel sees it: who leads, and who is told. The leader
 * is a volatile name, read without locks, and every listener hears of a change on a thread of its own:
 * a {@code master:} consumer takes about a second to start its route, and fifteen of them told one
 * after the other on the election's thread would delay the last poller (and the next renewal).
 */
abstract class ElectionView extends AbstractCamelClusterView {

    final String identity;
    private final Map<CamelClusterEventListener, CamelClusterEventListener> told = new ConcurrentHashMap<>();
    private volatile String leader;
    private volatile ExecutorService telling;

    ElectionView(CamelClusterService service, String namespace, String identity) {
        super(service, namespace);
        this.identity = identity;
    }

    /** Called by the election: the new leader's name, or null when none is known. */
    final void changeLeader(String holder) {
        String previous = leader;
        leader = holder;
        if (holder == null ? previous != null : !holder.equals(previous)) {
            fireLeadershipChangedEvent(getLeader().orElse(null));
        }
    }

    final boolean leads() {
        return identity.equals(leader);
    }

    @Override
    protected void doStart() throws Exception {
        telling = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "leadership-" + getNamespace());
            thread.setDaemon(true);
            return thread;
        });
        elect();
    }

    @Override
    protected void doStop() throws Exception {
        try {
            resign();
        } finally {
            changeLeader(null);
            telling.shutdown(); // changes already handed over are still told
        }
    }

    /** Begins competing for the leadership. */
    abstract void elect() throws Exception;

    /** Stops competing and gives the leadership up, if held, so another replica takes it at its next try. */
    abstract void resign() throws Exception;

    @Override
    public void addEventListener(CamelClusterEventListener listener) {
        super.addEventListener(told.computeIfAbsent(listener, this::toldApart));
    }

    @Override
    public void removeEventListener(CamelClusterEventListener listener) {
        CamelClusterEventListener apart = told.remove(listener);
        super.removeEventListener(apart == null ? listener : apart);
    }

    private CamelClusterEventListener toldApart(CamelClusterEventListener listener) {
        if (!(listener instanceof CamelClusterEventListener.Leadership leadership)) {
            return listener;
        }
        return (CamelClusterEventListener.Leadership) (CamelClusterView view, CamelClusterMember current) -> {
            ExecutorService executor = telling;
            Runnable tell = () -> leadership.leadershipChanged(view, current);
            if (executor == null || executor.isShutdown()) {
                tell.run();
            } else {
                executor.execute(tell);
            }
        };
    }

    @Override
    public Optional<CamelClusterMember> getLeader() {
        String holder = leader;
        return holder == null ? Optional.empty() : Optional.of(new Member(holder));
    }

    @Override
    public CamelClusterMember getLocalMember() {
        return new Member(identity);
    }

    /** The members this replica knows of: itself and the leader; neither a Lease nor a lock file names others. */
    @Override
    public List<CamelClusterMember> getMembers() {
        String holder = leader;
        return holder == null || holder.equals(identity)
                ? List.of(getLocalMember()) : List.of(getLocalMember(), new Member(holder));
    }

    private final class Member implements CamelClusterMember {
        private final String id;

        Member(String id) {
            this.id = id;
        }

        @Override
        public boolean isLeader() {
            return id.equals(leader);
        }

        @Override
        public boolean isLocal() {
            return id.equals(identity);
        }

        @Override
        public String getId() {
            return id;
        }
    }
}

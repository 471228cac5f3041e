// The operator page: reads the admin API every few seconds and acts through it. Every button is
// one existing admin call; the page adds no second way to do a thing. No build step, no library.
"use strict";

const REFRESH_MILLIS = 3000;

async function api(method, path) {
  const response = await fetch("/admin" + path, { method, headers: { Accept: "application/json" } });
  const text = await response.text();
  let body = text;
  try { body = JSON.parse(text); } catch (notJson) { /* keep the text */ }
  if (!response.ok) {
    throw new Error((body && body.error) || response.status + " " + response.statusText);
  }
  return body;
}

function cell(row, value, className) {
  const td = row.insertCell();
  td.textContent = value === null || value === undefined ? "" : String(value);
  if (className) td.className = className;
  return td;
}

function button(td, label, action, confirmation) {
  const b = document.createElement("button");
  b.textContent = label;
  b.addEventListener("click", async () => {
    if (confirmation && !window.confirm(confirmation)) return;
    b.disabled = true;
    try {
      await action();
      await refresh();
    } catch (e) {
      showProblem(label + ": " + e.message);
    } finally {
      b.disabled = false;
    }
  });
  td.appendChild(b);
  return b;
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString() : "";
}

function showProblem(text) {
  const problem = document.getElementById("problem");
  problem.textContent = text;
  problem.hidden = !text;
}

function replaceRows(id, rows, emptyText, columns) {
  const body = document.getElementById(id);
  body.replaceChildren();
  if (rows.length === 0) {
    cell(body.insertRow(), emptyText, "muted").colSpan = columns;
  }
  return body;
}

function renderOverview(status) {
  const leading = status.leaderElection && status.leaderElection.leader;
  const leader = document.getElementById("leader");
  leader.textContent = status.leaderElection
    ? (leading ? "runs the pollers" : "follower; pollers on " + (status.leaderElection.currentLeader || "another replica"))
    : "";
  leader.className = "badge" + (leading ? " leader" : "");
  document.getElementById("inbox-pending").textContent = status.inbox.due + status.inbox.scheduled + status.inbox.processing;
  document.getElementById("inbox-states").textContent = "due " + status.inbox.due + ", retrying later "
    + status.inbox.scheduled + ", processing " + status.inbox.processing;
  document.getElementById("inbox-oldest").textContent =
    status.inbox.oldestDueSeconds === null ? "none" : status.inbox.oldestDueSeconds + " s";
  document.getElementById("dead-open").textContent = status.deadLetters.open;
  document.getElementById("database").textContent = status.database;
  const alerts = document.getElementById("alerts");
  alerts.replaceChildren();
  for (const [key, alert] of Object.entries(status.alerts || {})) {
    const li = document.createElement("li");
    li.textContent = key + ": " + alert.message + " (since " + when(alert.since) + ")";
    alerts.appendChild(li);
  }
}

function renderFlows(status) {
  const flows = status.flows.filter(f => !f.id.startsWith("admin-")); // not the admin API this page itself calls
  const body = replaceRows("flow-rows", flows, "No flows.", 8);
  for (const flow of flows) {
    const row = body.insertRow();
    row.title = flow.description || "";
    cell(row, flow.id);
    cell(row, flow.state, flow.state === "Started" ? "" : "bad");
    cell(row, flow.exchanges);
    cell(row, flow.failed, flow.failed > 0 ? "bad" : "");
    cell(row, flow.inflight);
    cell(row, when(flow.lastCompleted));
    cell(row, when(flow.nextRun));
    cell(row, when(flow.lastFailed));
  }
  const cursors = Object.fromEntries((status.cursors || []).map(c => [c.flow, c]));
  const polls = Object.entries(status.polls || {});
  const pollRows = replaceRows("poll-rows", polls, "No poll has run on this replica.", 3);
  for (const [poll, state] of polls) {
    const row = pollRows.insertRow();
    cell(row, poll);
    cell(row, "last run " + when(state.lastRun) + ", " + state.runsLastHour + " in the last hour"
      + (state.idleBackoff > 1 ? ", idle: every " + state.idleBackoff + " firings" : "")
      + (state.lastError ? ", last error: " + state.lastError : ""), state.failuresInARow > 0 ? "bad" : "");
    cell(row, cursors[poll] ? cursors[poll].cursor : "");
  }
}

function renderChannels(status) {
  const channels = Object.entries(status.channelSyncs || {});
  if (!changed("channels", channels)) return;
  const body = replaceRows("channel-rows", channels, "No channel.", 5);
  for (const [channel, sync] of channels) {
    const row = body.insertRow();
    row.dataset.channel = channel;
    cell(row, channel);
    if (sync.state === undefined) {
      cell(row, sync.enabled ? "none since start-up" : "disabled", "muted");
      cell(row, "");
      cell(row, "");
    } else {
      cell(row, (sync.dryRun ? "dry run " : "") + when(sync.started) + (sync.finished ? " to " + when(sync.finished) : ""));
      cell(row, sync.state + (sync.error ? ": " + sync.error : ""), sync.state === "FAILED" ? "bad" : "");
      const totals = sync.dryRun ? sync.planned : sync.totals;
      cell(row, sync.variantsRead + " read; " + JSON.stringify(totals || {}));
    }
    const actions = row.insertCell();
    if (sync.enabled === false) continue;
    button(actions, "Dry run", async () => {
      await api("POST", "/sync/" + channel + "?dryRun=true");
      await awaitPlan(channel); // then the table is refreshed with the finished run
    });
    button(actions, "Sync now", () => api("POST", "/sync/" + channel),
      "Push every product, price and stock level to " + channel + " now?");
    if (sync.state === "RUNNING") {
      button(actions, "Cancel", () => api("DELETE", "/sync/" + channel), "Cancel the running sync of " + channel + "?");
    }
  }
}

/** Shows a dry run's plan once it has finished. */
async function awaitPlan(channel) {
  for (let i = 0; i < 120; i++) {
    const report = await api("GET", "/sync/" + channel);
    if (report.state !== "RUNNING") {
      showPlan(channel, report);
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

function showPlan(channel, report) {
  document.getElementById("plan").hidden = false;
  document.getElementById("plan-title").textContent = "Dry run of " + channel + ": " + report.state
    + (report.error ? " (" + report.error + ")" : "") + ", planned " + JSON.stringify(report.planned || {});
  const plan = report.plan || [];
  const body = replaceRows("plan-rows", plan, "Nothing to change.", 4);
  for (const entry of plan) {
    const row = body.insertRow();
    cell(row, entry.action);
    cell(row, entry.product);
    cell(row, (entry.skus || []).join(", "));
    cell(row, (entry.differences || []).join("; "));
  }
}

function renderEbay(status) {
  const connection = status.ebayConnection;
  const text = document.getElementById("ebay-connection");
  if (!connection) {
    text.textContent = "eBay is not enabled.";
  } else if (!connection.connected) {
    text.textContent = "No seller connected" + (connection.paused ? " (" + connection.paused + ")" : "") + ".";
  } else {
    text.textContent = "Connected" + (connection.ebayUserId ? " as " + connection.ebayUserId : "")
      + (connection.connectedSince ? " since " + when(connection.connectedSince) : "")
      + (connection.connectedBy ? " by " + connection.connectedBy : "")
      + (connection.source === "configuration" ? " (token from the configuration)" : "")
      + "; notifications: " + ((connection.subscriptions || []).length || "none") + " subscribed.";
  }
}

// Tables are redrawn only when their data changed, so a button does not vanish under the pointer.
const drawn = {};
function changed(key, data) {
  const text = JSON.stringify(data);
  if (drawn[key] === text) return false;
  drawn[key] = text;
  return true;
}

function renderDeadLetters(letters) {
  if (!changed("deadLetters", letters)) return;
  const body = replaceRows("dead-letter-rows", letters, "None open.", 7);
  for (const letter of letters) {
    const row = body.insertRow();
    row.dataset.id = letter.id;
    cell(row, letter.id);
    cell(row, when(letter.createdAt));
    cell(row, letter.flow);
    cell(row, letter.eventType + " " + letter.eventKey);
    cell(row, letter.failure);
    cell(row, letter.reason, "reason");
    const actions = row.insertCell();
    button(actions, "Payload", () => showPayload(letter.id));
    button(actions, "Replay", () => api("POST", "/dead-letters/" + letter.id + "/replay"));
    button(actions, "Discard", () => api("POST", "/dead-letters/" + letter.id + "/discard"),
      "Discard dead letter " + letter.id + "? It will not be replayed.");
  }
}

/** The dead letter's event as stored, personal data masked by the service. */
async function showPayload(id) {
  const detail = await api("GET", "/dead-letters/" + id);
  document.getElementById("payload").hidden = false;
  document.getElementById("payload-title").textContent = "Dead letter " + id + ": " + detail.letter.eventType
    + " (personal data masked)";
  document.getElementById("payload-text").textContent = JSON.stringify(detail.payload, null, 2);
}

async function testConnections() {
  const peers = await api("GET", "/connections");
  const body = replaceRows("peer-rows", peers, "No peer enabled.", 6);
  for (const peer of peers) {
    const row = body.insertRow();
    cell(row, peer.peer);
    cell(row, peer.reachable ? "yes" : "no", peer.reachable ? "good" : "bad");
    cell(row, peer.version);
    cell(row, peer.api);
    cell(row, peer.latencyMs + " ms");
    cell(row, peer.error, peer.error ? "bad" : "");
  }
}

async function refresh() {
  try {
    const [status, letters] = await Promise.all([api("GET", "/status"), api("GET", "/dead-letters?limit=200")]);
    renderOverview(status);
    renderDeadLetters(letters);
    renderChannels(status);
    renderEbay(status);
    renderFlows(status);
    document.getElementById("refreshed").textContent = "as of " + new Date().toLocaleTimeString();
    showProblem("");
  } catch (e) {
    showProblem("Could not read the status: " + e.message);
  }
}

document.getElementById("test-connections").addEventListener("click", () =>
  testConnections().catch(e => showProblem("Test connections: " + e.message)));
document.getElementById("replay-all").addEventListener("click", async () => {
  if (!window.confirm("Replay every open dead letter?")) return;
  try {
    await api("POST", "/dead-letters/replay");
    await refresh();
  } catch (e) {
    showProblem("Replay all: " + e.message);
  }
});
refresh();
setInterval(refresh, REFRESH_MILLIS);

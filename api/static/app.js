// The ccm-kg page: a Gantt of posts, a search leading to timelines, a SPARQL editor.
// Plain JavaScript, no third-party code; every fact shown links to its passages.
"use strict";

const $ = (sel) => document.querySelector(sel);
const el = (tag, attrs = {}, ...kids) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("data-")) node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const kid of kids) node.append(kid);
  return node;
};

async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

// ---- sources panel ------------------------------------------------------------------------
function showSources(title, sources) {
  $("#sources-title").textContent = title;
  const list = $("#sources-list");
  list.replaceChildren();
  for (const s of sources || []) {
    const doc = s.document || {};
    list.append(el("li", {},
      el("div", { text: `${doc.title || doc.id} (${doc.date || "undated"})${s.section ? ", section " + s.section : ""}` }),
      el("blockquote", { text: s.quote || "" }),
      el("small", { text: `characters ${s.start}–${s.end} of ${doc.id}` })));
  }
  $("#sources").hidden = false;
}

// ---- timeline ------------------------------------------------------------------------------
const DAY = 86400000;
const toDay = (iso) => Date.parse(iso + "T00:00:00Z");
const FIRST_YEAR = 2010, LAST_YEAR = 2026; // the Convention's life so far, always on the axis
// What a term rests on (term_basis): drawn solid, hatched, or as a tick on the day seen.
const BASES = [
  ["stated", "stated term (mandate years, or the MSP/RC presided), dated MSP to MSP"],
  ["inferred", "inferred: the intersessional period around a sighting in minutes"],
  ["sighting", "sighting: only the day a document shows the holder in the post"],
];

function legend() {
  const box = el("div", { class: "g-legend" });
  for (const [basis, text] of BASES) {
    box.append(el("span", { class: "g-key" }, el("span", { class: `swatch ${basis}` }), text));
  }
  return box;
}

// Presidencies: a President named in minutes without the meeting presided duplicates the
// stated presidency of the same State over the same days: keep the stated one.
function presidencyItems(items) {
  const stated = items.filter((p) => p.term_basis === "stated");
  const seen = new Set();
  return items.filter((p) => {
    const key = `${p.state.id}|${p.start}|${p.end}|${p.term_basis}`;
    if (seen.has(key)) return false;
    seen.add(key);
    if (p.term_basis === "stated") return true;
    const end = p.end || p.start;
    return !stated.some((s) => s.state.id === p.state.id && s.start <= end && p.start <= (s.end || s.start));
  });
}

async function drawTimeline() {
  const [pres, coord] = await Promise.all([
    getJSON("/presidencies?limit=1000"), getJSON("/coordinators?role=any&limit=1000")]);
  const rows = new Map([["presidency", { label: "Presidency", items: [] }]]);
  const presidents = pres.items.filter((p) => p.role === "president" && p.start);
  for (const p of presidencyItems(presidents)) rows.get("presidency").items.push({ ...p, kind: "presidency" });
  for (const c of coord.items) {
    if (!c.start) continue;
    const slug = c.area ? c.area.slug : `topic-${c.topic}`;
    const label = c.area ? c.area.label : `Friend of the President: ${c.topic}`;
    if (!rows.has(slug)) rows.set(slug, { label, items: [] });
    rows.get(slug).items.push({ ...c, kind: c.role === "friend" ? "friend" : "coordinator" });
  }
  // Working groups: one row per group, a mark at each date a text gives a report on it.
  const wgs = await getJSON("/working-groups?limit=1000").catch(() => ({ items: [] }));
  for (const w of wgs.items) {
    if (!w.date) continue; // undated: the document's date is an attestation, not the event's
    const day = (w.date + "-01-01").slice(0, 10);
    const key = `wg:${w.working_group.id}`;
    if (!rows.has(key)) rows.set(key, { label: w.working_group.label || w.name, items: [] });
    const who = [...w.leads, ...w.members].map((a) => a.iso3 || a.acronym || a.label).join(" ");
    rows.get(key).items.push({ ...w, kind: "working-group", start: day, end: day,
      state: { iso3: who || w.event, label: `${w.event}: ${who || "no member named"}` } });
  }
  const all = [...rows.values()].flatMap((r) => r.items);
  const gantt = $("#gantt");
  gantt.replaceChildren(legend());
  if (!all.length) { gantt.append(el("p", { text: "No posts in the graph yet." })); return; }
  const y0 = Math.min(FIRST_YEAR, ...all.map((i) => +i.start.slice(0, 4)));
  const y1 = Math.max(LAST_YEAR, ...all.map((i) => +(i.end || i.start).slice(0, 4))) + 1;
  const t0 = toDay(`${y0}-01-01`), span = toDay(`${y1}-01-01`) - t0;
  const width = Math.max(700, (y1 - y0) * 110);
  const pos = (iso) => ((toDay(iso) - t0) / span) * width;
  const axis = el("div", { class: "g-row g-axis" }, el("div", { class: "g-label" }));
  const axisLane = el("div", { class: "g-lane" });
  axisLane.style.width = width + "px";
  for (let y = y0; y < y1; y++) {
    const tick = el("span", { text: String(y) });
    tick.style.left = pos(`${y}-01-01`) + "px";
    axisLane.append(tick);
  }
  axis.append(axisLane);
  gantt.append(axis);
  for (const [slug, row] of rows) {
    const lane = el("div", { class: "g-lane" });
    lane.style.width = width + "px";
    const placed = [];
    for (const item of row.items.sort((a, b) => a.start.localeCompare(b.start))) {
      const basis = item.term_basis || "sighting";
      const end = item.end || item.start;
      const left = pos(item.start);
      const sighting = basis === "sighting";
      // A sighting is a short tick on its day(s); a term is a bar from start to end.
      const w = sighting ? Math.max(pos(end) - left, 0) + 10 : Math.max(pos(end) + DAY / span * width - left, 28);
      let level = 0;
      while (placed.some((p) => p.level === level && p.left < left + w && left < p.right)) level++;
      placed.push({ level, left, right: left + w });
      const who = item.state.iso3 || item.state.label || item.state.id;
      const role = item.kind === "friend" ? " (Friend of the President)" : "";
      const what = item.kind === "presidency" ? (item.meeting && item.meeting.label) || "President" : row.label + role;
      const seen = (item.attested || []).length ? `; seen ${item.attested.join(", ")}` : "";
      const bar = el("button", {
        class: `bar ${item.kind} ${basis}`,
        text: sighting ? "" : who, title: `${item.state.label || who} — ${what}: ${item.start} to ${end} (${basis}${seen})`,
        type: "button",
        "data-row": slug, "data-state": who, "data-start": item.start, "data-end": end, "data-basis": basis,
      });
      bar.style.left = (sighting ? left - 5 : left) + "px";
      bar.style.width = w + "px";
      bar.style.top = 0.3 + level * 1.3 + "rem";
      bar.addEventListener("click", () => showSources(`${item.state.label || who} — ${what} (${item.start} – ${end}, ${basis})`, item.sources));
      lane.append(bar);
      if (!sighting) { // the days documents saw the holder, on its bar: the evidence of the term
        for (const day of item.attested || []) {
          const dot = el("span", { class: "seen", title: `seen ${day}` });
          dot.style.left = pos(day) - 3 + "px";
          dot.style.top = 0.3 + level * 1.3 + 0.35 + "rem";
          lane.append(dot);
        }
      }
    }
    lane.style.height = 0.6 + (Math.max(0, ...placed.map((p) => p.level)) + 1) * 1.3 + "rem";
    gantt.append(el("div", { class: "g-row", "data-row": slug }, el("div", { class: "g-label", text: row.label }), lane));
  }
}

// ---- search and entity timelines -----------------------------------------------------------
function eventLine(date, text, sources) {
  const line = el("li", { class: "ev" }, el("strong", { text: date || "undated" }), " ", text, " ");
  if (sources && sources.length) {
    const b = el("button", { type: "button", text: `${sources.length} source(s)` });
    b.addEventListener("click", () => showSources(text, sources));
    line.append(b);
  }
  return line;
}

async function openActor(key) {
  const data = await getJSON(`/actors/${encodeURIComponent(key)}/timeline`);
  const list = el("ul");
  for (const e of data.items) {
    const what = `${e.kind}${e.label ? ": " + e.label : ""}${e.end ? " (until " + e.end + ")" : ""}`;
    list.append(eventLine(e.date, what, e.sources));
  }
  $("#entity").replaceChildren(el("h3", { text: data.actor.label || key }), list);
}

async function openPerson(id) {
  const data = await getJSON(`/persons/${encodeURIComponent(id)}`);
  const list = el("ul");
  for (const m of data.meetings) {
    const who = m.delegation ? (m.delegation.label || m.delegation.id) : "?";
    list.append(eventLine(m.meeting.date, `${m.meeting.kind || "meeting"} — for ${who}${m.role ? " (" + m.role + ")" : ""}`, m.sources));
  }
  $("#entity").replaceChildren(el("h3", { text: `${data.honorific ? data.honorific + " " : ""}${data.name || id}` }),
    el("p", { class: "hint", text: "Spellings: " + data.spellings.join("; ") }), list);
}

async function search(q) {
  const [actors, persons] = await Promise.all([
    getJSON(`/actors?q=${encodeURIComponent(q)}&limit=20`), getJSON(`/persons?q=${encodeURIComponent(q)}&limit=20`)]);
  const results = $("#search-results");
  results.replaceChildren();
  for (const a of actors.items) {
    const key = a.iso3 || a.acronym || a.id;
    const li = el("li", { text: `${a.label || key} (${a.type}${a.iso3 ? ", " + a.iso3 : ""})` });
    li.addEventListener("click", () => openActor(key));
    results.append(li);
  }
  for (const p of persons.items) {
    const li = el("li", { text: `${p.name} (person)` });
    li.addEventListener("click", () => openPerson(p.id.split("/").pop()));
    results.append(li);
  }
  if (!results.children.length) results.append(el("p", { text: "Nothing found." }));
}

// ---- SPARQL editor -------------------------------------------------------------------------
let namedQueries = [];

async function loadQueries() {
  namedQueries = await getJSON("/ui/queries");
  const select = $("#query-select");
  select.replaceChildren(...namedQueries.map((q) => el("option", { value: q.name, text: `${q.name} — ${q.title}` })));
  pickQuery(select.value);
}

function pickQuery(name) {
  const q = namedQueries.find((x) => x.name === name);
  if (!q) return;
  $("#query-text").value = q.text;
  const params = q.params.map((p) => `${p.name} (${p.type})`).join(", ");
  $("#query-doc").textContent = `${q.description}${params ? " Parameters, unbound here (= any): " + params + "." : ""}`;
}

async function runQuery() {
  const status = $("#query-status");
  status.textContent = "running…";
  const body = new URLSearchParams({ query: $("#query-text").value });
  const response = await fetch("/sparql", { method: "POST", body,
    headers: { Accept: "application/sparql-results+json" } });
  if (!response.ok) {
    let message = `${response.status}`;
    try { const e = await response.json(); message = `${e.code || response.status}: ${e.message || ""}`; } catch (_) { /* not JSON */ }
    status.textContent = message;
    return;
  }
  const data = await response.json();
  const vars = data.head.vars || [];
  const rows = (data.results && data.results.bindings) || [];
  const table = el("table", { id: "result-table" },
    el("thead", {}, el("tr", {}, ...vars.map((v) => el("th", { text: v })))),
    el("tbody", {}, ...rows.map((r) => el("tr", {}, ...vars.map((v) => el("td", { text: r[v] ? r[v].value : "" }))))));
  $("#query-results").replaceChildren(table);
  status.textContent = `${rows.length} row(s)`;
}

// ---- tabs ----------------------------------------------------------------------------------
function showTab(name) {
  for (const tab of document.querySelectorAll(".tab")) tab.hidden = tab.id !== `tab-${name}`;
  for (const a of document.querySelectorAll("nav a[data-tab]")) a.classList.toggle("active", a.dataset.tab === name);
}

window.addEventListener("DOMContentLoaded", () => {
  const route = () => showTab((location.hash || "#timeline").slice(1) || "timeline");
  window.addEventListener("hashchange", route);
  route();
  $("#sources-close").addEventListener("click", () => { $("#sources").hidden = true; });
  $("#search-form").addEventListener("submit", (e) => { e.preventDefault(); search($("#search-q").value); });
  $("#query-select").addEventListener("change", (e) => pickQuery(e.target.value));
  $("#query-run").addEventListener("click", runQuery);
  drawTimeline().then(() => document.body.setAttribute("data-timeline", "ready"))
    .catch((err) => { $("#gantt").textContent = `Could not load the timeline: ${err.message}`; });
  loadQueries().catch((err) => { $("#query-doc").textContent = `Could not load the named queries: ${err.message}`; });
});

// The ccm-kg page: a Gantt of posts, a search leading to timelines, a SPARQL editor.
// Our own plain JavaScript; the one third-party part, the YASGUI editor, is installed by npm
// and served by our server (/static/vendor/), loaded only when present (else a text box).
// Every fact shown links to its passages.
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

// A slug (general-status-and-operation) is for machines: people read "General status and operation".
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)+$/;
const human = (text) => (text && SLUG.test(text) ? text[0].toUpperCase() + text.slice(1).replace(/-/g, " ") : text);

// ---- sources panel ------------------------------------------------------------------------
function showSources(title, sources) {
  $("#sources-title").textContent = title;
  const list = $("#sources-list");
  list.replaceChildren();
  for (const s of sources || []) {
    const doc = s.document || {};
    const item = el("li", {});
    if (s.url) { // reference data (the calendar, treaty records): a page on the web, no passage
      item.append(el("div", {}, el("a", { href: s.url, text: doc.title || s.url, rel: "noopener" })),
        el("small", { text: `reference data${s.retrieved ? ", retrieved " + s.retrieved : ""}` }));
    } else {
      item.append(el("div", { text: `${doc.title || doc.id} (${doc.date || "undated"})${s.section ? ", section " + s.section : ""}` }),
        el("blockquote", { text: s.quote || "" }));
      if (s.start !== null && s.start !== undefined) item.append(el("small", { text: `characters ${s.start}–${s.end} of ${doc.id}` }));
    }
    list.append(item);
  }
  $("#sources").hidden = false;
  document.body.classList.add("with-sources"); // the page narrows: the panel hides no bar
}

function closeSources() {
  $("#sources").hidden = true;
  document.body.classList.remove("with-sources");
}

// ---- timeline ------------------------------------------------------------------------------
const DAY = 86400000;
const toDay = (iso) => Date.parse(iso + "T00:00:00Z");
const FIRST_YEAR = 2010, LAST_YEAR = 2026; // the Convention's life so far, always on the axis
const MIN_YEAR_PX = 64; // narrower than this, a one-year term cannot show its holder's code
// The legend: what a mark's shape and colour say. [css classes of the swatch, text]
const KEYS = [
  ["coordinator stated", "stated term (mandate years, or the MSP/RC presided)"],
  ["coordinator inferred", "inferred term: the intersessional period around a sighting"],
  ["coordinator sighting", "single sighting: the day a document shows the holder"],
  ["presidency stated", "presidency"],
  ["presidency designate", "President-designate"],
  ["friend stated", "Friend of the President"],
  ["working-group sighting", "working group report"],
];

function legend() {
  const box = el("div", { class: "g-legend", id: "g-legend" });
  for (const [classes, text] of KEYS) {
    box.append(el("span", { class: "g-key" }, el("span", { class: `swatch ${classes}` }), text));
  }
  box.append(el("span", { class: "g-key" }, el("span", { class: "seen swatch-dot" }), "day a document saw the holder"));
  return box;
}

// Presidencies: the calendar (reference data) states who presided each MSP/RC, from meeting to
// meeting. Where it does, a President or designate read off minutes for the same State and days
// only repeats it: keep the calendar's term, drop the sighting.
function presidencyItems(items) {
  const stated = items.filter((p) => p.term_basis === "stated" && p.role === "president");
  const seen = new Set();
  return items.filter((p) => {
    const key = `${p.role}|${p.state.id}|${p.start}|${p.end}|${p.term_basis}`;
    if (seen.has(key)) return false;
    seen.add(key);
    if (p.term_basis === "stated" && p.role === "president") return true;
    const end = p.end || p.start;
    return !stated.some((s) => s.state.id === p.state.id && s.start <= end && p.start <= (s.end || s.start));
  });
}

async function timelineRows() {
  const [pres, coord] = await Promise.all([
    getJSON("/presidencies?limit=1000"), getJSON("/coordinators?role=any&limit=1000")]);
  const rows = new Map([["presidency", { label: "Presidency", items: [] }]]);
  const roles = pres.items.filter((p) => (p.role === "president" || p.role === "president-designate") && p.start);
  for (const p of presidencyItems(roles)) {
    rows.get("presidency").items.push({ ...p, kind: p.role === "president" ? "presidency" : "presidency designate" });
  }
  for (const c of coord.items) {
    if (!c.start) continue;
    const slug = c.area ? c.area.slug : `topic-${c.topic}`;
    const label = c.area ? c.area.label || human(c.area.slug) : `Friend of the President: ${c.topic}`;
    if (!rows.has(slug)) rows.set(slug, { label, items: [] });
    rows.get(slug).items.push({ ...c, kind: c.role === "friend" ? "friend" : "coordinator" });
  }
  // Working groups: one row per group, a mark at each date a text gives a report on it.
  const wgs = await getJSON("/working-groups?limit=1000").catch(() => ({ items: [] }));
  for (const w of wgs.items) {
    if (!w.date) continue; // undated: the document's date is an attestation, not the event's
    const day = (w.date + "-01-01").slice(0, 10);
    const key = `wg:${w.working_group.id}`;
    if (!rows.has(key)) rows.set(key, { label: w.working_group.label || human(w.name), items: [] });
    const who = [...w.leads, ...w.members].map((a) => a.iso3 || a.acronym || a.label).join(" ");
    rows.get(key).items.push({ ...w, kind: "working-group", term_basis: "sighting", start: day, end: day,
      state: { iso3: who || w.event, label: `${human(w.event)}: ${who || "no member named"}` } });
  }
  return rows;
}

async function drawTimeline() {
  const rows = await timelineRows();
  const all = [...rows.values()].flatMap((r) => r.items);
  const gantt = $("#gantt");
  gantt.replaceChildren();
  $("#g-legend-box").replaceChildren(legend());
  if (!all.length) { gantt.append(el("p", { text: "No posts in the graph yet." })); return; }
  const y0 = Math.min(FIRST_YEAR, ...all.map((i) => +i.start.slice(0, 4)));
  const y1 = Math.max(LAST_YEAR, ...all.map((i) => +(i.end || i.start).slice(0, 4))) + 1;
  const t0 = toDay(`${y0}-01-01`), span = toDay(`${y1}-01-01`) - t0;
  // Fit the years into the visible width; below MIN_YEAR_PX a year, scroll, opened on the latest.
  const labelPx = 240;
  const width = Math.max((y1 - y0) * MIN_YEAR_PX, gantt.clientWidth - labelPx - 4);
  const pos = (iso) => ((toDay(iso) - t0) / span) * width;
  const axis = el("div", { class: "g-row g-axis" }, el("div", { class: "g-label", text: "year" }));
  const axisLane = el("div", { class: "g-lane" });
  axisLane.style.width = width + "px";
  for (let y = y0; y < y1; y++) {
    const tick = el("span", { text: String(y), "data-year": String(y) });
    tick.style.left = pos(`${y}-01-01`) + "px";
    tick.style.width = pos(`${y + 1}-01-01`) - pos(`${y}-01-01`) + "px";
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
      const role = item.kind === "friend" ? " (Friend of the President)"
        : item.kind === "presidency designate" ? " (President-designate)" : "";
      const what = item.kind.startsWith("presidency")
        ? `${(item.meeting && item.meeting.label) || "Presidency"}${role}` : row.label + role;
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
      bar.addEventListener("click", () => {
        showSources(`${item.state.label || who} — ${what} (${item.start} – ${end}, ${basis})`, item.sources);
        bar.scrollIntoView({ block: "nearest", inline: "nearest" });
      });
      lane.append(bar);
      if (!sighting) { // the days documents saw the holder, on its bar: the evidence of the term
        for (const day of item.attested || []) {
          const dot = el("span", { class: "seen", title: `seen ${day}` });
          dot.style.left = pos(day) - 3 + "px";
          dot.style.top = 0.3 + level * 1.3 + 0.8 + "rem"; // on the bar's lower edge, clear of its text
          lane.append(dot);
        }
      }
    }
    lane.style.height = 0.6 + (Math.max(0, ...placed.map((p) => p.level)) + 1) * 1.3 + "rem";
    gantt.append(el("div", { class: "g-row", "data-row": slug },
      el("div", { class: "g-label", text: row.label, title: row.label }), lane));
  }
  gantt.scrollLeft = gantt.scrollWidth; // open on the latest years (a no-op when it all fits)
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

// Links out: a State's `same_as` (its Wikidata item, when the graph has one): a list of
// {id, sources} from /states/{iso}.
function sameAsLinks(items) {
  const box = el("p", { class: "same-as" });
  for (const item of items || []) {
    const iri = typeof item === "string" ? item : (item && item.id) || "";
    const qid = /wikidata\.org\/entity\/(Q\d+)$/.exec(iri);
    if (!/^https?:\/\//i.test(iri)) continue;
    box.append(qid ? "Wikidata: " : "Same as: ", el("a", { href: iri.replace(/^http:/, "https:"), text: qid ? qid[1] : iri, rel: "noopener" }), " ");
  }
  return box;
}

async function openActor(key) {
  const data = await getJSON(`/actors/${encodeURIComponent(key)}/timeline`);
  const list = el("ul");
  for (const e of data.items) {
    const what = `${human(e.kind)}${e.label ? ": " + human(e.label) : ""}${e.end ? " (until " + e.end + ")" : ""}`;
    list.append(eventLine(e.date, what, e.sources));
  }
  const iso = data.actor.iso3;
  const state = iso ? await getJSON(`/states/${encodeURIComponent(iso)}`).catch(() => null) : null;
  const page = data.actor.id ? hrefOf(data.actor.id) : null;
  $("#entity").replaceChildren(el("h3", { text: data.actor.label || key }),
    sameAsLinks(state && state.same_as),
    page ? el("p", {}, el("a", { href: page, text: "entity page (all statements, Turtle, JSON-LD)" })) : "",
    list);
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
// YASGUI when its files are installed (npm, served by us), else a plain text box. Both share
// the examples menu: the research questions of the named query library (not the api_* ones).
let namedQueries = [];
let config = { base_iri: "", prefixes: {}, editor: null };
let yasgui = null;
const labels = new Map(); // IRI → label, filled after each result (one query per page of IRIs)

// Our IRIs open our own entity pages (the server resolves them under the base IRI); other
// http(s) IRIs link out; any other scheme is text, never a link.
function hrefOf(iri) {
  if (config.base_iri && iri.startsWith(config.base_iri)) return "/" + iri.slice(config.base_iri.length);
  return /^https?:\/\//i.test(iri) ? iri : null;
}

function esc(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const tag = el("script", { src });
    tag.addEventListener("load", resolve);
    tag.addEventListener("error", () => reject(new Error(`could not load ${src}`)));
    document.head.append(tag);
  });
}

async function fetchLabels(iris) {
  const todo = [...new Set(iris)].filter((i) => !labels.has(i) && hrefOf(i)).slice(0, 300);
  if (!todo.length) return false;
  for (const i of todo) labels.set(i, null); // asked once, labelled or not
  const values = todo.map((i) => `<${i.replace(/[<>"{}|^`\\\s]/g, "")}>`).join(" ");
  const query = `PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?s (SAMPLE(?l) AS ?label) WHERE {
  VALUES ?s { ${values} }
  ?s rdfs:label|skos:prefLabel|foaf:name|dcterms:title ?l .
} GROUP BY ?s`;
  const response = await fetch("/sparql", { method: "POST", body: new URLSearchParams({ query }),
    headers: { Accept: "application/sparql-results+json" } });
  if (!response.ok) return false;
  const data = await response.json();
  for (const b of data.results.bindings) labels.set(b.s.value, b.label.value);
  return data.results.bindings.length > 0;
}

function resultIris(yasr) {
  const bindings = (yasr.results && yasr.results.getBindings && yasr.results.getBindings()) || [];
  return bindings.flatMap((row) => Object.values(row).filter((t) => t && t.type === "uri").map((t) => t.value));
}

// YASR's table, with our links and the label of each IRI beside it.
function registerTable() {
  const Table = Yasr.plugins.table;
  class LabelledTable extends Table {
    getUriLinkFromBinding(binding, prefixes) {
      const iri = binding.value;
      let shown = iri, prefixed = false;
      for (const p in prefixes || {}) {
        if (iri.startsWith(prefixes[p])) { shown = `${p}:${iri.slice(prefixes[p].length)}`; prefixed = true; break; }
      }
      const href = hrefOf(iri);
      const text = prefixed ? esc(shown) : `&lt;${esc(shown)}&gt;`;
      const link = href ? `<a class="iri" href="${esc(href)}">${text}</a>` : `<span class="iri">${text}</span>`;
      const label = labels.get(iri);
      // The label first: the table cuts long cells, and the label is what a person reads.
      return label ? `<span class="iri-label">${esc(label)}</span> ${link}` : link;
    }
  }
  Yasr.registerPlugin("table", LabelledTable);
}

// A new tab's query: something of ours that runs, rather than YASGUI's generic ?s ?p ?o.
const STARTER = () => `PREFIX ccm: <${config.prefixes.ccm}>
PREFIX rdfs: <${config.prefixes.rdfs}>
SELECT ?state ?name WHERE {
  ?state a ccm:State ;
         rdfs:label ?name .
} ORDER BY ?name LIMIT 50`;

function startYasgui() {
  registerTable();
  const endpoint = location.origin + "/sparql";
  const fromLink = /(^|[#&])query=/.test(location.hash);
  // Only completers that need no other host: the property and class ones ask a public
  // vocabulary service. (A config array would be merged into the defaults, not replace them.)
  for (const defaults of [Yasqe.defaults, Yasgui.defaults.yasqe]) defaults.autocompleters = ["prefixes", "variables"];
  yasgui = new Yasgui($("#yasgui"), {
    requestConfig: { endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: () => [{ endpoint }] },
    copyEndpointOnNewTab: true,
    persistenceId: "ccmkg-yasgui",
    populateFromUrl: fromLink, // a permalink opens its query in a tab (and YASGUI clears the hash)
    autofocus: false,
    yasqe: { prefixCcApi: "/ui/prefixes", editorHeight: "320px", resizeable: true, value: STARTER() },
    yasr: { prefixes: config.prefixes, defaultPlugin: "table", pluginOrder: ["table", "response"] },
  });
  if (fromLink) history.replaceState(null, "", "#sparql");
  yasgui.on("queryResponse", (instance, tab) => {
    // The tab emits this before it hands the response to YASR: read the results just after.
    setTimeout(() => {
      const yasr = tab.getYasr();
      fetchLabels(resultIris(yasr)).then((found) => { if (found) yasr.draw(); }).catch(() => {});
    }, 0);
  });
  document.body.setAttribute("data-editor", "yasgui");
}

function startTextarea(message) {
  $("#sparql-plain").hidden = false;
  $("#editor-note").textContent = message;
  document.body.setAttribute("data-editor", "plain");
}

async function loadEditor() {
  config = await getJSON("/ui/config");
  namedQueries = await getJSON("/ui/queries");
  const select = $("#query-select");
  select.replaceChildren(el("option", { value: "", text: "— an example: a research question —" }),
    ...namedQueries.map((q) => el("option", { value: q.name, text: q.title || human(q.name) })));
  if (config.editor === "yasgui") {
    try {
      const css = el("link", { rel: "stylesheet", href: "/static/vendor/yasgui.min.css" });
      document.head.append(css);
      await loadScript("/static/vendor/yasgui.min.js");
      startYasgui();
      return;
    } catch (err) {
      startTextarea(`The SPARQL editor could not start (${err.message}): a plain text box instead.`);
      return;
    }
  }
  startTextarea("The SPARQL editor's files (YASGUI) are not installed on this server, so this is a " +
    "plain text box: no highlighting or completion. ./dev.sh serve installs them (npm ci in web/).");
}

function pickQuery(name) {
  const q = namedQueries.find((x) => x.name === name);
  if (!q) return;
  const params = q.params.map((p) => `${p.name} (${p.type})`).join(", ");
  $("#query-doc").textContent = `${q.description}${params ? " Parameters, unbound here (= any): " + params + "." : ""}`;
  if (yasgui) {
    const tab = yasgui.addTab(true, { name: q.title || q.name });
    tab.setQuery(q.text);
    return;
  }
  $("#query-text").value = q.text;
}

async function runQuery() { // the plain text box's Run (YASGUI has its own)
  const status = $("#query-status");
  status.textContent = "running…";
  $("#query-results").replaceChildren(); // an error must never leave old results on screen
  const body = new URLSearchParams({ query: $("#query-text").value });
  const response = await fetch("/sparql", { method: "POST", body,
    headers: { Accept: "application/sparql-results+json" } });
  if (!response.ok) {
    let message = `${response.status}`;
    try { const e = await response.json(); message = `${e.message || response.status}${e.hint ? " — " + e.hint : ""}`; } catch (_) { /* not JSON */ }
    status.textContent = message;
    return;
  }
  const data = await response.json();
  const vars = data.head.vars || [];
  const rows = (data.results && data.results.bindings) || [];
  const cell = (t) => {
    if (!t) return el("td");
    const href = t.type === "uri" ? hrefOf(t.value) : null;
    return el("td", {}, href ? el("a", { href, text: t.value }) : t.value);
  };
  const table = el("table", { id: "result-table" },
    el("thead", {}, el("tr", {}, ...vars.map((v) => el("th", { text: v })))),
    el("tbody", {}, ...rows.map((r) => el("tr", {}, ...vars.map((v) => cell(r[v]))))));
  $("#query-results").replaceChildren(table);
  status.textContent = `${rows.length} row(s)`;
}

// ---- tabs ----------------------------------------------------------------------------------
const TABS = ["timeline", "search", "sparql"];

function showTab(name) {
  closeSources(); // the panel belongs to the tab it was opened from
  for (const tab of document.querySelectorAll(".tab")) tab.hidden = tab.id !== `tab-${name}`;
  for (const a of document.querySelectorAll("nav a[data-tab]")) a.classList.toggle("active", a.dataset.tab === name);
  if (name === "sparql" && yasgui) yasgui.getTab().show();
}

function tabOfHash() {
  const hash = location.hash.slice(1);
  if (/(^|&)query=/.test(hash)) return "sparql"; // a YASGUI permalink
  return TABS.includes(hash) ? hash : "timeline";
}

window.addEventListener("DOMContentLoaded", () => {
  const route = () => showTab(tabOfHash());
  window.addEventListener("hashchange", route);
  route();
  $("#sources-close").addEventListener("click", closeSources);
  $("#search-form").addEventListener("submit", (e) => { e.preventDefault(); search($("#search-q").value); });
  $("#query-select").addEventListener("change", (e) => pickQuery(e.target.value));
  $("#query-run").addEventListener("click", runQuery);
  drawTimeline().then(() => document.body.setAttribute("data-timeline", "ready"))
    .catch((err) => { $("#gantt").textContent = `Could not load the timeline: ${err.message}`; });
  loadEditor().catch((err) => { $("#query-doc").textContent = `Could not load the SPARQL editor: ${err.message}`; });
});

// The explorer: a researcher's research graph full-screen, built from `Researcher.context`.
// Expanding a person merges their own context into the graph; collapsing removes what only
// they brought (and what that brought in turn). Every element remembers what brought it:
// "root" for the first answer, else the id of the person whose expansion did.
//
// The year slider shows the circle as of a year from the years each edge spans (`firstYear`,
// `lastYear`): links that began later are hidden with what only they reached, collaborations
// that began that year are marked new, and those without a shared work in the LAPSE years up
// to it lapsed. "How am I connected to…" (connect.js) draws the chain it finds on the graph.
import { mountConnect } from "/static/connect.js";
import { COLORS, graphql, h, plainError, plural, profileUrl, say, SHAPES } from "/static/kg.js";

const CONTEXT = `query Explore($id: ID!, $depth: Int!, $limit: Int!) {
  researcher(id: $id) {
    id name
    context(depth: $depth, limit: $limit) {
      truncated
      nodes { id key kind label depth }
      edges { source target kind weight firstYear lastYear }
    }
  }
}`;
const KINDS = { RESEARCHER: "People", WORK: "Works", TOPIC: "Topics", INSTITUTION: "Institutions" };
const ONE = { RESEARCHER: "person", WORK: "work", TOPIC: "topic", INSTITUTION: "institution" };
const CHEAP = 150; // more nodes than this: rings (linear time) instead of a force layout
const LAPSE = 2; // a collaboration with no shared work in this many years up to the year shown

const $ = (name) => document.getElementById(name);
const params = new URLSearchParams(location.search);
const rootKey = decodeURIComponent(location.pathname.slice("/explore/".length));
const rootId = `researcher:${rootKey}`;
const depth = params.get("depth") === "2" ? 2 : 1;
const firstLimit = Math.min(100, Math.max(1, Number(params.get("limit")) || 25));

const brought = new Map(); // element id -> Set of what brought it
const expanded = new Set();
const hiddenKinds = new Set();
let cy = null;
let rootName = rootKey;
let asOf = null; // the year the slider shows, or null for all years

async function context(key, limit, hops = 1) {
  const researcher = (await graphql(CONTEXT, { id: key, depth: hops, limit })).researcher;
  if (!researcher) throw new Error(`there is no researcher with id ${key}`);
  return researcher;
}

function edgeId(e) {
  const [a, b] = e.kind === "COAUTHOR" ? [e.source, e.target].sort() : [e.source, e.target];
  return `${e.kind}:${a}->${b}`;
}

/** Add a context's nodes and edges brought by `by`; the new nodes, placed. */
function merge(ctx, by, around) {
  const add = [];
  for (const n of ctx.nodes) {
    if (!brought.has(n.id)) {
      brought.set(n.id, new Set());
      add.push({ group: "nodes", data: { id: n.id, key: n.key, kind: n.kind, label: n.label, short: short(n.label) } });
    }
    if (n.id !== by) brought.get(n.id).add(by); // never kept by itself: its bringer's collapse removes it
  }
  for (const e of ctx.edges) {
    if (!brought.has(e.source) || !brought.has(e.target)) continue;
    const id = edgeId(e);
    if (!brought.has(id)) {
      brought.set(id, new Set());
      add.push({ group: "edges", data: { id, source: e.source, target: e.target, kind: e.kind, weight: e.weight ?? 1, first: e.firstYear, last: e.lastYear } });
    }
    brought.get(id).add(by);
  }
  let added;
  cy.batch(() => {
    added = cy.add(add);
    if (around) ring(added.nodes(), around.position());
  });
  yearRange();
  restyle();
  return added.nodes();
}

/** New nodes on a circle around where they were expanded from: nothing else moves. */
function ring(nodes, at) {
  const radius = Math.max(90, (nodes.length * 26) / (2 * Math.PI));
  nodes.forEach((n, i) => {
    const angle = (2 * Math.PI * i) / nodes.length;
    n.position({ x: at.x + radius * Math.cos(angle), y: at.y + radius * Math.sin(angle) });
  });
}

async function expand(id) {
  const node = cy.getElementById(id);
  const label = node.data("label");
  say($("status"), `Expanding ${label}…`);
  try {
    const answer = await context(node.data("key"), Number($("limit").value));
    expanded.add(id);
    const added = merge(answer.context, id, node);
    say($("status"), `${label}: ${added.length ? plural(added.length, "node") + " added" : "nothing new"}${answer.context.truncated ? " (the strongest links only)" : ""}.`);
  } catch (err) {
    say($("status"), `Could not expand ${label}: ${plainError(err)}`, true);
  }
  changed();
}

/** Remove what only `id` brought; people it brought that were expanded collapse too. */
function collapse(id) {
  const removed = drop(id);
  cy.batch(() => {
    for (const gone of removed) cy.getElementById(gone).remove();
  });
  for (const key of [...brought.keys()]) if (cy.getElementById(key).empty()) brought.delete(key);
  return removed.filter((gone) => !gone.includes("->")).length;
}

function drop(id) {
  expanded.delete(id);
  const orphans = [];
  for (const [element, by] of brought) {
    if (element !== id && element !== rootId && by.delete(id) && by.size === 0) orphans.push(element);
  }
  for (const element of orphans) brought.delete(element);
  return orphans.concat(...orphans.filter((o) => expanded.has(o)).map(drop));
}

function toggle(id) {
  if (expanded.has(id)) {
    const label = cy.getElementById(id).data("label");
    const removed = collapse(id);
    say($("status"), `${label} collapsed: ${plural(removed, "node")} removed.`);
    changed();
  } else {
    expand(id);
  }
}

function pin(id) {
  const node = cy.getElementById(id);
  if (node.locked()) node.unlock();
  else node.lock();
  node.toggleClass("pinned", node.locked());
  changed();
}

function hides(node) {
  return node.id() !== rootId && (hiddenKinds.has(node.data("kind")) || dated(node));
}

/** A link that began after the year shown. */
function later(edge) {
  return asOf !== null && edge.data("first") != null && edge.data("first") > asOf;
}

/** A node all of whose links began after the year shown. */
function dated(node) {
  if (asOf === null) return false;
  const edges = node.connectedEdges();
  return edges.length > 0 && edges.every(later);
}

function rootCollaboration(edge) {
  return edge.data("kind") === "COAUTHOR" && (edge.data("source") === rootId || edge.data("target") === rootId);
}

/** Classes from the filters and the year: hidden, and on the centre's collaborations new or lapsed. */
function restyle() {
  cy.batch(() => {
    cy.edges().forEach((e) => {
      const own = asOf !== null && rootCollaboration(e) && !later(e);
      e.toggleClass("hidden", later(e));
      e.toggleClass("fresh", own && e.data("first") === asOf);
      e.toggleClass("lapsed", own && e.data("last") != null && e.data("last") <= asOf - LAPSE);
    });
    cy.nodes().forEach((n) => n.toggleClass("hidden", hides(n)));
  });
}

function filter() {
  hiddenKinds.clear();
  $("filters").querySelectorAll("input:not(:checked)").forEach((box) => hiddenKinds.add(box.value));
  restyle();
  changed();
}

/** The slider spans the years of the links loaded (expanding can widen it). */
function yearRange() {
  const years = cy.edges().map((e) => [e.data("first"), e.data("last")]).flat().filter((y) => y != null);
  if (!years.length) return;
  const slider = $("year");
  const [low, high] = [Math.min(...years), Math.max(...years)];
  slider.min = String(low);
  slider.max = String(high);
  if (asOf === null) slider.value = String(high);
  $("years").hidden = low === high;
}

function setYear(year) {
  asOf = year;
  $("year-shown").textContent = year === null ? "all years" : String(year);
  if (year === null) $("year").value = $("year").max;
  restyle();
  changed();
  summariseYear();
}

/** In words what the slider shows: the centre's circle as of the year, who joined, who lapsed. */
function summariseYear() {
  if (asOf === null) {
    $("years-summary").textContent = "";
    return;
  }
  const own = cy.edges().filter((e) => rootCollaboration(e) && !later(e));
  const other = (e) => cy.getElementById(e.data("source") === rootId ? e.data("target") : e.data("source")).data("label");
  const names = (edges) => edges.map(other).sort().slice(0, 5).join(", ") + (edges.length > 5 ? ", …" : "");
  const fresh = own.filter(".fresh");
  const lapsed = own.filter(".lapsed");
  const parts = [`As of ${asOf}: ${plural(own.length, "collaborator")} shown`];
  parts.push(fresh.length ? `new that year: ${names(fresh)}` : "none new that year");
  parts.push(lapsed.length ? `no shared work in ${LAPSE} years: ${names(lapsed)}` : "none lapsed");
  $("years-summary").textContent = `${parts.join("; ")}.`;
}

/** After any change: the counts, the filters' labels, the list and the graph's label. */
function changed() {
  const shown = cy.nodes().not(".hidden");
  const links = cy.edges().not(".hidden").filter((e) => !e.source().hasClass("hidden") && !e.target().hasClass("hidden"));
  $("counts").textContent = `${plural(shown.length, "node")} and ${plural(links.length, "link")} shown`;
  $("counts").dataset.nodes = shown.length;
  const byKind = Object.keys(KINDS).map((kind) => [kind, cy.nodes(`[kind = "${kind}"]`).length]);
  for (const [kind, n] of byKind) $(`count-${kind}`).textContent = ` (${n})`;
  $("graph").setAttribute(
    "aria-label",
    `Research graph around ${rootName}: ${byKind.map(([kind, n]) => `${n} ${KINDS[kind].toLowerCase()}`).join(", ")}. The same graph is listed beside it.`,
  );
  listNodes();
  showSelected();
}

const ORDER = Object.keys(KINDS);

/** The text alternative: every node shown, as a link where it has a page, with its controls. */
function listNodes() {
  const focused = document.activeElement;
  const again = focused?.closest?.("#nodes li") ? [focused.closest("li").dataset.id, focused.dataset.action] : null;
  const nodes = cy
    .nodes()
    .not(".hidden")
    .sort((a, b) => (a.id() === rootId ? -1 : b.id() === rootId ? 1 : 0) || ORDER.indexOf(a.data("kind")) - ORDER.indexOf(b.data("kind")) || a.data("label").localeCompare(b.data("label")));
  $("nodes").replaceChildren(...nodes.map(row));
  if (again) $("nodes").querySelector(`li[data-id="${CSS.escape(again[0])}"] [data-action="${again[1]}"]`)?.focus();
}

function row(node) {
  const id = node.id();
  const kind = node.data("kind");
  const label = node.data("label");
  const controls = [];
  if (kind === "RESEARCHER" && id !== rootId) {
    const open = expanded.has(id);
    controls.push(h("button", { type: "button", class: "quiet small", "data-action": "toggle", "aria-label": `${open ? "Collapse" : "Expand"} ${label}` }, open ? "Collapse" : "Expand"));
  }
  const pinned = node.locked();
  controls.push(h("button", { type: "button", class: "quiet small", "data-action": "pin", "aria-pressed": String(pinned), "aria-label": `Pin ${label}` }, pinned ? "Pinned" : "Pin"));
  return h(
    "li",
    { "data-id": id, "data-kind": kind },
    h("span", { class: "swatch", "data-kind": kind, "aria-hidden": "true" }),
    link(node),
    h("span", { class: "detail" }, ` ${ONE[kind]}${id === rootId ? " (centre)" : ""}, ${plural(node.degree(), "link")} `),
    controls,
  );
}

function link(node) {
  const key = node.data("key");
  if (node.data("kind") === "RESEARCHER") return h("a", { href: profileUrl(key) }, node.data("label"));
  if (node.data("kind") === "WORK") return h("a", { href: `https://arxiv.org/abs/${key}` }, node.data("label"));
  return h("span", {}, node.data("label"));
}

function showSelected() {
  const node = cy.$("node:selected").first();
  if (node.empty()) {
    $("selected").replaceChildren();
    return;
  }
  $("selected").replaceChildren(h("p", { class: "minor" }, "Selected"), h("ul", { class: "nodes" }, row(node)));
}

function onControl(event) {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  const id = button.closest("li").dataset.id;
  if (button.dataset.action === "toggle") toggle(id);
  if (button.dataset.action === "pin") pin(id);
}

function select(id) {
  cy.$(":selected").unselect();
  cy.getElementById(id).select();
}

/** Fit what is shown in the window, never closer than a readable zoom. */
function fit() {
  cy.fit(cy.nodes().not(".hidden"), 20);
  if (cy.zoom() > 1.4) {
    cy.zoom(1.4);
    cy.center(cy.nodes().not(".hidden"));
  }
}

function arrange(nodes) {
  const many = nodes.length > CHEAP;
  cy.layout({
    name: "concentric",
    eles: cy.elements(),
    concentric: (n) => (n.id() === rootId ? 3 : n.data("kind") === "RESEARCHER" ? 2 : 1),
    levelWidth: () => 1,
    minNodeSpacing: many ? 4 : 10,
    animate: false,
  }).run();
  if (many) return;
  cy.layout({ name: "cose", animate: false, randomize: false, idealEdgeLength: () => 60, nodeRepulsion: () => 8000, padding: 20 }).run();
}

function draw() {
  cy = cytoscape({
    container: $("graph"),
    style: [
      {
        selector: "node",
        style: {
          label: "data(short)",
          "font-size": 9,
          "min-zoomed-font-size": 7,
          color: "#1f2937",
          "text-valign": "bottom",
          "text-margin-y": 3,
          width: 18,
          height: 18,
          "background-color": (n) => COLORS[n.data("kind")],
          shape: (n) => SHAPES[n.data("kind")],
        },
      },
      { selector: `node[id = "${rootId}"]`, style: { width: 34, height: 34, "font-size": 13, "font-weight": "bold" } },
      { selector: "node.pinned", style: { "border-width": 3, "border-color": "#111827" } },
      { selector: "node:selected, node.focused", style: { "border-width": 4, "border-color": "#f59e0b" } },
      { selector: ".hidden", style: { display: "none" } },
      { selector: "edge", style: { width: 1, "line-color": "#cbd5e1" } },
      { selector: 'edge[kind = "COAUTHOR"]', style: { "line-color": "#fdba74", width: (e) => Math.min(1 + e.data("weight"), 5) } },
      { selector: "edge.fresh", style: { "line-color": "#16a34a" } },
      { selector: "edge.path", style: { "line-color": "#7c3aed", width: 5, "z-index": 10 } },
      { selector: "node.path", style: { "border-width": 4, "border-color": "#7c3aed" } },
      { selector: "edge.lapsed", style: { "line-color": "#9ca3af", "line-style": "dashed" } },
    ],
    minZoom: 0.05,
    maxZoom: 3,
    textureOnViewport: true,
    hideEdgesOnViewport: true,
  });
  cy.on("tap", "node", (event) => {
    select(event.target.id());
    showSelected();
  });
  cy.on("dbltap", 'node[kind = "RESEARCHER"]', (event) => event.target.id() !== rootId && toggle(event.target.id()));
  cy.on("dragfree", "node", (event) => !event.target.locked() && pin(event.target.id()));
  window.kgGraph = cy; // for tests, and the curious in the console
}

/** A chain from connect.js on the graph: its people and links added where missing, marked. */
function drawChain(chain) {
  cy.elements(".path").removeClass("path");
  const ctx = {
    nodes: chain.researchers.map((r) => ({ id: `researcher:${r.id}`, key: r.id, kind: "RESEARCHER", label: r.name })),
    edges: chain.links.map((l) => ({
      kind: "COAUTHOR",
      source: `researcher:${l.from.id}`,
      target: `researcher:${l.to.id}`,
      weight: l.evidence.totalCount,
      firstYear: null,
      lastYear: null,
    })),
  };
  merge(ctx, "path", cy.getElementById(rootId));
  cy.batch(() => {
    for (const n of ctx.nodes) cy.getElementById(n.id).addClass("path");
    for (const e of ctx.edges) cy.getElementById(edgeId(e)).addClass("path");
  });
  changed();
}

function short(label) {
  return label.length > 28 ? `${label.slice(0, 27)}…` : label;
}

function mountControls() {
  $("filters").append(
    ...Object.entries(KINDS).map(([kind, name]) =>
      h("label", {}, h("input", { type: "checkbox", value: kind, checked: "" }), ` ${name}`, h("span", { id: `count-${kind}`, class: "detail" })),
    ),
  );
  $("filters").addEventListener("change", filter);
  $("nodes").addEventListener("click", onControl);
  $("selected").addEventListener("click", onControl);
  $("nodes").addEventListener("focusin", (event) => {
    const id = event.target.closest("li")?.dataset.id;
    cy.$(".focused").removeClass("focused");
    if (id) cy.getElementById(id).addClass("focused"); // where the list's focus is, on the graph
  });
  $("fit").addEventListener("click", fit);
  $("arrange").addEventListener("click", () => {
    arrange(cy.nodes());
    fit();
  });
  $("limit").value = String([10, 25, 50, 100].includes(firstLimit) ? firstLimit : 25);
  $("year").addEventListener("input", () => setYear(Number($("year").value)));
  $("all-years").addEventListener("click", () => setYear(null));
}

async function start() {
  $("profile-link").href = profileUrl(rootKey);
  mountControls();
  let answer;
  try {
    answer = await context(rootKey, firstLimit, depth);
  } catch (err) {
    say($("status"), `Could not load the graph: ${plainError(err)}`, true);
    return;
  }
  rootName = answer.name;
  document.title = `${answer.name} · Explorer · kg`;
  $("name").textContent = answer.name;
  draw();
  merge(answer.context, "root", null);
  mountConnect($("connect"), rootKey, drawChain);
  arrange(cy.nodes());
  fit();
  changed();
  say($("status"), answer.context.truncated ? "The strongest links only: expand a person to see more around them." : "");
  document.body.dataset.ready = "true";
}

start();

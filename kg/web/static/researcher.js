// A researcher's page: the profile card, charts, works, top collaborators (one GraphQL
// request) and the research graph from `context` (a second request, sent at the same
// time); follow, claim and "not mine" once signed in (actions.js, session.js); the trust
// snapshot (trust.js) and "How am I connected to…" (connect.js).
import { mountActions } from "/static/actions.js";
import { barChart, everyYear, sharesChart } from "/static/charts.js";
import { mountConnect } from "/static/connect.js";
import { COLORS, graphql, h, plural, profileUrl, researcherLink, say, SHAPES, workItem } from "/static/kg.js";
import { mountSession } from "/static/session.js";
import { showTrust } from "/static/trust.js";

const PAGE = 20;
const WORK = "arxivId title url published category categoryLabel codeUrl citations authorCount authors { id name }";
const WORKS = `works(first: $first, after: $after) {
  pageInfo { hasNextPage endCursor } nodes { ${WORK} }
}`;
const PROFILE = `query Profile($id: ID!, $first: Int!, $after: String) {
  researcher(id: $id) {
    id name nameVariants worksCount followersCount claimStatus closeCollaboratorCount orcid
    viewer { following claim }
    citations hIndex i10Index graphCitations graphHIndex graphI10Index
    topics { code label name worksCount }
    worksByYear { year count }
    topicsByYear { year code count }
    citationsByYear { year count }
    institutions { name firstYear lastYear ror country }
    trust { score level reasons { code text points } }
    ${WORKS}
    collaborators(first: 10) { edges { sharedWorks node { id name } } }
  }
}`;
const MORE_WORKS = `query MoreWorks($id: ID!, $first: Int!, $after: String) {
  researcher(id: $id) { ${WORKS} }
}`;
const CONTEXT = `query Context($id: ID!) {
  researcher(id: $id) {
    context(depth: 1, limit: 25) {
      truncated
      nodes { id key kind label depth }
      edges { source target kind weight }
    }
  }
}`;

const CLAIMS = {
  UNCLAIMED: "Unclaimed author record",
  PENDING: "Claimed, verification pending",
  VERIFIED: "Verified author record",
};
const KINDS = { RESEARCHER: "Collaborators", WORK: "Works", TOPIC: "Topics", INSTITUTION: "Institutions" };

const id = decodeURIComponent(location.pathname.slice("/researcher/".length));
const $ = (name) => document.getElementById(name);
let worksAfter = null;
let actions = null;

async function showProfile() {
  let researcher;
  try {
    researcher = (await graphql(PROFILE, { id, first: PAGE })).researcher;
  } catch (err) {
    say($("status"), `Could not load this researcher: ${err.message}`, true);
    return null;
  }
  if (!researcher) {
    say($("status"), "There is no researcher with this id.", true);
    return null;
  }
  const r = researcher;
  document.title = `${r.name} · kg`;
  $("name").textContent = r.name;
  const others = r.nameVariants.filter((v) => v !== r.name);
  $("variants").textContent = others.length ? `Also written ${others.join("; ")}` : "";
  showClaim(r.claimStatus);
  showTrust($("trust"), r.trust);
  mountConnect($("connect"), r.id);
  $("works-count").textContent = r.worksCount;
  $("topics-count").textContent = r.topics.length;
  $("close-count").textContent = r.closeCollaboratorCount;
  $("followers-count").textContent = r.followersCount;
  $("topics").replaceChildren(
    ...r.topics.map((t) => h("li", { title: `${t.name} (${t.code})` }, `${t.label} · ${t.worksCount}`)),
  );
  showOrcid(r.orcid);
  $("institutions").replaceChildren(...r.institutions.map(institutionItem));
  $("institutions-block").hidden = !r.institutions.length;
  showImpact(r);
  showCharts(r);
  addWorks(r.works);
  const edges = r.collaborators.edges;
  $("collaborators").replaceChildren(
    ...(edges.length
      ? edges.map((e) => h("li", {}, researcherLink(e.node), h("span", { class: "detail" }, ` ${plural(e.sharedWorks, "shared work")}`)))
      : [h("li", {}, "No co-authors yet.")]),
  );
  $("status").hidden = true;
  $("profile").hidden = false;
  return r;
}

function showClaim(status) {
  $("claim").textContent = CLAIMS[status];
  $("claim").dataset.status = status;
}

const ORCID = /^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$/;
const OPENALEX_TIP = "As OpenAlex reports it for the person: may count works not in this graph";
const GRAPH_TIP = "Computed from this researcher's works in this graph and OpenAlex's citations of each";

function showOrcid(orcid) {
  const valid = ORCID.test(orcid ?? "");
  $("orcid").hidden = !valid;
  if (!valid) return;
  const url = `https://orcid.org/${orcid}`;
  $("orcid-link").href = url;
  $("orcid-link").textContent = url;
}

/** "Massachusetts Institute of Technology, 2019–2024", linked to its ROR record if known. */
function institutionItem(i) {
  const ror = /^https:\/\/ror\.org\/\w+$/.test(i.ror ?? "") ? i.ror : null;
  const first = i.firstYear ?? i.lastYear;
  const years = i.lastYear == null ? "" : first === i.lastYear ? `${first}` : `${first}–${i.lastYear}`;
  return h(
    "li",
    { title: i.country ? `Country: ${i.country}` : null },
    ror ? h("a", { href: ror }, i.name) : i.name,
    years ? h("span", { class: "years" }, `, ${years}`) : null,
  );
}

/** The citation figures: OpenAlex's for the person and the graph's own, each labelled. */
function showImpact(r) {
  const openalex = r.hIndex !== null || r.citations !== null;
  const figure = (label, value, tip) =>
    h("div", { title: tip }, h("dt", {}, label), h("dd", {}, value === null ? "–" : String(value)));
  const figures = [];
  if (openalex) {
    figures.push(
      figure("Citations (OpenAlex)", r.citations, OPENALEX_TIP),
      figure("h-index (OpenAlex)", r.hIndex, OPENALEX_TIP),
      figure("i10-index (OpenAlex)", r.i10Index, OPENALEX_TIP),
    );
  }
  figures.push(
    figure("Citations (in this graph)", r.graphCitations, GRAPH_TIP),
    figure("h-index (in this graph)", r.graphHIndex, GRAPH_TIP),
    figure("i10-index (in this graph)", r.graphI10Index, GRAPH_TIP),
  );
  $("impact").replaceChildren(...figures);
  const works = plural(r.worksCount, "work");
  let note;
  if (openalex) {
    note = `OpenAlex figures are what OpenAlex reports for the person and may count works not in this graph; figures “in this graph” count the ${works} loaded here.`;
  } else if (r.graphCitations === 0) {
    note = "No citation data loaded (kg load openalex).";
  } else {
    note = `No OpenAlex figures for this person loaded (kg load openalex); these count the ${works} in this graph.`;
  }
  $("impact-note").textContent = note;
}

/** Works per year (each bar split by topic, coloured as in the topic shares), topic shares
 * and citations per year. */
function showCharts(r) {
  const byYear = new Map();
  for (const t of r.topicsByYear) {
    if (!byYear.has(t.year)) byYear.set(t.year, new Map());
    byYear.get(t.year).set(t.code, t.count);
  }
  const stacks = { keys: r.topics.map((t) => ({ code: t.code, label: t.label })), byYear };
  const charts = [
    barChart({ id: "works-chart", caption: "Works per year, by topic", counts: everyYear(r.worksByYear), unit: "work", stacks }),
    sharesChart({
      id: "topics-chart",
      caption: "Topics of their works (all years; a work can have several)",
      parts: r.topics.map((t) => ({ label: t.label, title: `${t.name} (${t.code})`, count: t.worksCount })),
      unit: "work",
      total: r.worksCount,
    }),
  ];
  charts.push(
    r.citationsByYear.length
      ? barChart({
          id: "citations-chart",
          caption: "Citations per year (OpenAlex, for the person)",
          counts: everyYear(r.citationsByYear),
          unit: "citation",
        })
      : h(
          "figure",
          { id: "citations-chart", class: "chart-figure" },
          h("figcaption", {}, "Citations per year"),
          h("p", { class: "detail" }, "No citation data yet: it appears once OpenAlex's figures are loaded (kg load openalex)."),
        ),
  );
  $("charts").replaceChildren(...charts);
}

function addWorks(works) {
  const items = works.nodes.map((w) => {
    const li = workItem(w);
    li.dataset.arxiv = w.arxivId;
    actions?.added(li);
    return li;
  });
  $("works").append(...items);
  worksAfter = works.pageInfo.endCursor;
  $("more-works").hidden = !works.pageInfo.hasNextPage;
}

$("more-works").addEventListener("click", async () => {
  const button = $("more-works");
  button.disabled = true;
  try {
    addWorks((await graphql(MORE_WORKS, { id, first: PAGE, after: worksAfter })).researcher.works);
  } catch (err) {
    button.textContent = `More works (failed: ${err.message}; try again)`;
  } finally {
    button.disabled = false;
  }
});

async function loadContext() {
  try {
    return (await graphql(CONTEXT, { id })).researcher?.context ?? null;
  } catch (err) {
    say($("graph-status"), `Could not load the graph: ${err.message}`, true);
    return null;
  }
}

function drawGraph(context, researcher) {
  const container = $("graph");
  const ids = new Set(context.nodes.map((n) => n.id));
  const cy = cytoscape({
    container,
    elements: [
      ...context.nodes.map((n) => ({
        data: { id: n.id, key: n.key, kind: n.kind, depth: n.depth, label: short(n.label) },
        classes: n.depth === 0 ? "self" : "",
      })),
      ...context.edges
        .filter((e) => ids.has(e.source) && ids.has(e.target))
        .map((e) => ({ data: { source: e.source, target: e.target, kind: e.kind, weight: e.weight ?? 1 } })),
    ],
    style: [
      {
        selector: "node",
        style: {
          label: "data(label)",
          "font-size": 9,
          color: "#1f2937",
          "text-valign": "bottom",
          "text-margin-y": 3,
          width: 20,
          height: 20,
          "background-color": (n) => COLORS[n.data("kind")],
          shape: (n) => SHAPES[n.data("kind")],
        },
      },
      { selector: "node.self", style: { width: 36, height: 36, "font-size": 13, "font-weight": "bold" } },
      { selector: "edge", style: { width: 1, "line-color": "#cbd5e1" } },
      {
        selector: 'edge[kind = "COAUTHOR"]',
        style: { "line-color": "#fdba74", width: (e) => Math.min(1 + e.data("weight"), 5) },
      },
    ],
    minZoom: 0.3,
    maxZoom: 3,
  });
  const others = 'node[kind = "RESEARCHER"][depth > 0]';
  cy.on("tap", others, (event) => location.assign(profileUrl(event.target.data("key"))));
  cy.on("mouseover", others, () => (container.style.cursor = "pointer"));
  cy.on("mouseout", others, () => (container.style.cursor = ""));
  const counts = Object.entries(KINDS)
    .map(([kind, name]) => `${cy.nodes(`[kind = "${kind}"][depth > 0]`).length} ${name.toLowerCase()}`)
    .join(", ");
  container.setAttribute(
    "aria-label",
    `Research graph of ${researcher.name}: ${counts}. The same graph is listed below.`,
  );
  // rings around them first, then a force layout from there: the same drawing every time
  cy.layout({ name: "concentric", concentric: (n) => 2 - n.data("depth"), levelWidth: () => 1 }).run();
  const layout = cy.layout({
    name: "cose",
    animate: false,
    randomize: false,
    idealEdgeLength: () => 60,
    nodeRepulsion: () => 8000,
    padding: 20,
  });
  layout.one("layoutstop", () => (window.kgGraph = cy)); // for tests, and the curious in the console
  layout.run();
}

function listGraph(context) {
  const self = context.nodes.find((n) => n.depth === 0)?.id;
  const shared = new Map();
  for (const e of context.edges) {
    if (e.kind !== "COAUTHOR") continue;
    if (e.source === self) shared.set(e.target, e.weight);
    if (e.target === self) shared.set(e.source, e.weight);
  }
  const groups = Object.entries(KINDS).map(([kind, name]) => {
    const nodes = context.nodes.filter((n) => n.kind === kind && n.depth > 0);
    if (!nodes.length) return null;
    const items = nodes.map((n) => h("li", {}, nodeLink(n), shared.has(n.id) ? ` (${plural(shared.get(n.id), "shared work")})` : ""));
    return [h("h3", {}, `${name} (${nodes.length})`), h("ul", {}, items)];
  });
  $("graph-list").replaceChildren(...groups.flat().filter(Boolean));
}

function nodeLink(node) {
  if (node.kind === "RESEARCHER") return h("a", { href: profileUrl(node.key) }, node.label);
  if (node.kind === "WORK") return h("a", { href: `https://arxiv.org/abs/${node.key}` }, node.label);
  return node.label;
}

function short(label) {
  return label.length > 28 ? `${label.slice(0, 27)}…` : label;
}

$("explore-link").href = `/explore/${encodeURIComponent(id)}`;
const session = mountSession($("session"), () => actions?.changed());
/** The profile, with its buttons working from the moment it shows. */
async function showPage() {
  const r = await showProfile();
  if (r) {
    actions = mountActions(r, session, (changed) => {
      if ("followersCount" in changed) $("followers-count").textContent = changed.followersCount;
      if ("claimStatus" in changed) showClaim(changed.claimStatus);
    });
  }
  return r;
}

const [researcher, context] = await Promise.all([showPage(), loadContext()]);
if (researcher && context) {
  drawGraph(context, researcher); // once the card is shown: the graph needs a visible box
  listGraph(context);
  say($("graph-status"), context.truncated ? "The strongest links only: there is more around them." : "");
}

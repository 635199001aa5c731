// A researcher's page: the profile card, works, top collaborators (one GraphQL request)
// and the research graph from `context` (a second request, sent at the same time).
import { graphql, h, plural, profileUrl, researcherLink, say, workItem } from "/static/kg.js";

const PAGE = 20;
const WORK = "arxivId title url published category categoryLabel codeUrl authorCount authors { id name }";
const WORKS = `works(first: $first, after: $after) {
  pageInfo { hasNextPage endCursor } nodes { ${WORK} }
}`;
const PROFILE = `query Profile($id: ID!, $first: Int!, $after: String) {
  researcher(id: $id) {
    id name nameVariants worksCount followersCount claimStatus closeCollaboratorCount
    topics { code label name worksCount }
    institutions { name }
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
const COLORS = { RESEARCHER: "#c2410c", WORK: "#2563eb", TOPIC: "#15803d", INSTITUTION: "#7c3aed" };
const SHAPES = { RESEARCHER: "ellipse", WORK: "round-rectangle", TOPIC: "diamond", INSTITUTION: "triangle" };

const id = decodeURIComponent(location.pathname.slice("/researcher/".length));
const $ = (name) => document.getElementById(name);
let worksAfter = null;

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
  $("claim").textContent = CLAIMS[r.claimStatus];
  $("claim").dataset.status = r.claimStatus;
  $("works-count").textContent = r.worksCount;
  $("topics-count").textContent = r.topics.length;
  $("close-count").textContent = r.closeCollaboratorCount;
  $("followers-count").textContent = r.followersCount;
  $("topics").replaceChildren(
    ...r.topics.map((t) => h("li", { title: `${t.name} (${t.code})` }, `${t.label} · ${t.worksCount}`)),
  );
  $("institutions").textContent = r.institutions.length
    ? `Institutions: ${r.institutions.map((i) => i.name).join("; ")}`
    : "";
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

function addWorks(works) {
  $("works").append(...works.nodes.map(workItem));
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

const [researcher, context] = await Promise.all([showProfile(), loadContext()]);
if (researcher && context) {
  drawGraph(context, researcher); // once the card is shown: the graph needs a visible box
  listGraph(context);
  say($("graph-status"), context.truncated ? "The strongest links only: there is more around them." : "");
}

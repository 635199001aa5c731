// "How am I connected to…": the shortest co-authorship chain from one researcher to another
// (`connection`), each link with the shared works that prove it. The profile page and the
// explorer mount the same box; the explorer also draws the chain on its graph.
import { graphql, h, plainError, plural, profileUrl, say } from "/static/kg.js";

const FIND = `query Find($name: String!) { researcher(name: $name) { id } }`;
const CONNECT = `query Connect($from: ID!, $to: ID!, $maxHops: Int!) {
  connection(from: $from, to: $to, maxHops: $maxHops, first: 1) {
    hops
    from { id name }
    to { id name }
    chains {
      researchers { id name }
      links { from { id name } to { id name } evidence(first: 3) { totalCount nodes { arxivId title published url } } }
    }
  }
}`;
const MAX_HOPS = 6;

/** Mount the box in `root` for researcher `fromId`; `onChain(chain)` gets each chain drawn. */
export function mountConnect(root, fromId, onChain = () => {}) {
  const input = h("input", { id: "connect-to", type: "text", required: "", autocomplete: "off", placeholder: "a name or an id, e.g. Ben Ode" });
  const status = h("p", { id: "connect-status", role: "status", "aria-live": "polite" });
  const result = h("ol", { id: "connect-chain", class: "chain", "aria-label": "The chain, link by link" });
  const form = h(
    "form",
    { id: "connect-form" },
    h("label", { for: "connect-to" }, "How am I connected to…"),
    " ",
    input,
    " ",
    h("button", { type: "submit" }, "Find the path"),
  );
  root.replaceChildren(form, status, result);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    result.replaceChildren();
    say(status, "Looking for the shortest chain…");
    try {
      const found = await graphql(FIND, { name: text });
      const to = found.researcher ? found.researcher.id : text;
      const answer = (await graphql(CONNECT, { from: fromId, to, maxHops: MAX_HOPS })).connection;
      if (!answer) {
        say(status, `There is no researcher named or with the id “${text}”.`, true);
        return;
      }
      if (!answer.chains.length) {
        say(status, `${answer.from.name} and ${answer.to.name} are not connected within ${MAX_HOPS} co-authorship links.`);
        return;
      }
      const chain = answer.chains[0];
      say(status, answer.hops === 0
        ? `That is ${answer.from.name}.`
        : `${answer.from.name} → ${answer.to.name}: ${plural(answer.hops, "link")}, each through shared works.`);
      result.replaceChildren(...chain.links.map(linkItem));
      onChain(chain);
    } catch (err) {
      say(status, `Could not find the path: ${plainError(err)}`, true);
    }
  });
}

function person(r) {
  return h("a", { href: profileUrl(r.id) }, r.name);
}

function linkItem(link) {
  const works = link.evidence.nodes.map((w) =>
    h("li", {}, h("a", { href: w.url }, w.title), h("span", { class: "detail" }, ` (${w.published.slice(0, 4)})`)),
  );
  const more = link.evidence.totalCount - works.length;
  return h(
    "li",
    { class: "hop" },
    person(link.from),
    " and ",
    person(link.to),
    h("span", { class: "detail" }, ` wrote ${plural(link.evidence.totalCount, "work")} together`),
    h("ul", { class: "evidence" }, works, more > 0 ? h("li", { class: "detail" }, `and ${more} more`) : null),
  );
}

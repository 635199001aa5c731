// The search page: `search(text:, first:)`, researchers (linked to their pages) and works.
// The query is kept in the address (`/?q=...`), so a search can be shared and reloaded.
import { graphql, h, plural, researcherLink, say, workItem } from "/static/kg.js";

const SEARCH = `query Search($text: String!, $first: Int!) {
  search(text: $text, first: $first) {
    researchers { researcher { id name worksCount topics { label } } }
    works { work {
      arxivId title url published category categoryLabel codeUrl citations
      authorCount authors { id name }
    } }
  }
}`;

const form = document.getElementById("search");
const input = document.getElementById("q");
const status = document.getElementById("status");

async function search(text) {
  say(status, "Searching…");
  let found;
  try {
    found = (await graphql(SEARCH, { text, first: 20 })).search;
  } catch (err) {
    say(status, `Search failed: ${err.message}`, true);
    return;
  }
  show("researchers", found.researchers.map(({ researcher }) => researcherItem(researcher)));
  show("works", found.works.map(({ work }) => workItem(work)));
  const counts = `${plural(found.researchers.length, "researcher")} and ${plural(found.works.length, "work")}`;
  say(status, found.researchers.length + found.works.length ? `${counts} for “${text}”` : `Nothing found for “${text}”`);
}

function researcherItem(researcher) {
  const topics = researcher.topics.slice(0, 3).map((t) => t.label).join(", ");
  return h(
    "li",
    {},
    researcherLink(researcher),
    h("span", { class: "detail" }, ` ${plural(researcher.worksCount, "work")}`, topics ? ` · ${topics}` : ""),
  );
}

function show(name, items) {
  document.getElementById(name).replaceChildren(...items);
  document.getElementById(`${name}-section`).hidden = items.length === 0;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  history.replaceState(null, "", `/?q=${encodeURIComponent(text)}`);
  search(text);
});

const asked = new URLSearchParams(location.search).get("q");
if (asked) {
  input.value = asked;
  search(asked);
}

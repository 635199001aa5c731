// What the pages share: one GraphQL request, and building DOM without innerHTML (names
// and titles are data, never markup).

export async function graphql(query, variables) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  let body;
  try {
    body = await response.json();
  } catch {
    throw new Error(`the API answered HTTP ${response.status}`);
  }
  if (body.errors && body.errors.length) {
    throw new Error(body.errors.map((e) => e.message).join("; "));
  }
  return body.data;
}

/** An element with attributes (`class`, `href`, `aria-*`, ...) and children (text or nodes). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined && value !== false) el.setAttribute(name, value);
  }
  el.append(...children.flat().filter((c) => c !== null && c !== undefined));
  return el;
}

export function profileUrl(id) {
  return `/researcher/${encodeURIComponent(id)}`;
}

export function researcherLink(researcher) {
  return h("a", { href: profileUrl(researcher.id) }, researcher.name);
}

/** "A, B, C et al.": the first three authors, linked, and "et al." when there are more. */
export function authorsLine(work) {
  const shown = work.authors.slice(0, 3);
  const parts = [];
  shown.forEach((author, i) => parts.push(i ? ", " : "", researcherLink(author)));
  if (work.authorCount > shown.length) parts.push(" et al.");
  return h("p", { class: "authors" }, parts);
}

/** A link target only if it is a web address: data never becomes `javascript:`. */
function web(url) {
  return /^https?:\/\//i.test(url ?? "") ? url : null;
}

/** A work as both pages list it: category, date, code, citations (when loaded), title, authors. */
export function workItem(work) {
  return h(
    "li",
    { class: "work" },
    h(
      "p",
      { class: "meta" },
      h("span", { class: "category", title: work.category }, work.categoryLabel),
      " ",
      h("time", { datetime: work.published }, work.published),
      web(work.codeUrl) ? [" ", h("a", { class: "code", href: web(work.codeUrl) }, "Code")] : null,
      typeof work.citations === "number"
        ? [" · ", h("span", { class: "cited", title: "Citations OpenAlex counts for this work" }, plural(work.citations, "citation"))]
        : null,
    ),
    h("h3", {}, h("a", { href: web(work.url) }, work.title)),
    authorsLine(work),
  );
}

export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/** Show a message in a live region; `error` styles it as a failure. */
export function say(el, text, error = false) {
  el.textContent = text;
  el.classList.toggle("error", error);
}

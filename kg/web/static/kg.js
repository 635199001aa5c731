// What the pages share: GraphQL requests (with the API key this tab signed in with), and
// building DOM without innerHTML (names and titles are data, never markup).

const KEY = "kg.apiKey";

/** The API key this browser tab signed in with (kept in sessionStorage: gone when the tab closes). */
export function apiKey() {
  return sessionStorage.getItem(KEY);
}

export function signIn(key) {
  sessionStorage.setItem(KEY, key.trim());
}

export function signOut() {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(MINE);
}

const MINE = "kg.mine";

/** What this tab knows of the caller and one researcher ({following, claim}): from
 * `Researcher.viewer` and the answers to its own writes, kept until sign-out. */
export function recalled(id) {
  return JSON.parse(sessionStorage.getItem(MINE) ?? "{}")[id] ?? {};
}

export function remember(id, facts) {
  const all = JSON.parse(sessionStorage.getItem(MINE) ?? "{}");
  all[id] = { ...all[id], ...facts };
  sessionStorage.setItem(MINE, JSON.stringify(all));
}

/** A GraphQL error: its message, and `code` from `extensions.code` (e.g. "FORBIDDEN"). */
export class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

export async function graphql(query, variables) {
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  const key = apiKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  const response = await fetch("/graphql", {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables }),
  });
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`the API answered HTTP ${response.status}`, "HTTP");
  }
  if (body.errors && body.errors.length) {
    const code = body.errors[0].extensions?.code ?? "ERROR";
    throw new ApiError(body.errors.map((e) => e.message).join("; "), code);
  }
  return body.data;
}

/** What went wrong, in words for a person at the page rather than a client developer. */
export function plainError(err) {
  if (err.code === "UNAUTHENTICATED") {
    return apiKey()
      ? "The server did not accept this API key. Sign out, then sign in with a key the operators gave you."
      : "This needs you to sign in with an API key first.";
  }
  if (err instanceof ApiError) return err.message;
  return `The server could not be reached (${err.message}); try again.`;
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

/** How the graph views draw each kind of node (the legends in kg.css match). */
export const COLORS = { RESEARCHER: "#c2410c", WORK: "#2563eb", TOPIC: "#15803d", INSTITUTION: "#7c3aed" };
export const SHAPES = { RESEARCHER: "ellipse", WORK: "round-rectangle", TOPIC: "diamond", INSTITUTION: "triangle" };

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

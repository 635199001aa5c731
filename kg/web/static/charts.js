// Charts as inline SVG drawn here (no chart library): bars for counts per year, one
// stacked bar for shares. Each comes with its text alternative (a table, or the legend as
// a list), and the bars take the keyboard: Tab to the chart, arrow keys from bar to bar.
import { h, plural } from "/static/kg.js";

const NS = "http://www.w3.org/2000/svg";
export const PALETTE = ["#2563eb", "#c2410c", "#15803d", "#7c3aed", "#b45309", "#0e7490", "#be185d", "#4b5563"];

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) el.setAttribute(name, value);
  }
  el.append(...children);
  return el;
}

/** Every year from the first to the last listed, 0 where the API lists none. */
export function everyYear(counts) {
  if (!counts.length) return [];
  const by = new Map(counts.map((c) => [c.year, c.count]));
  const first = Math.min(...by.keys());
  const last = Math.max(...by.keys());
  const years = [];
  for (let year = first; year <= last; year++) years.push({ year, count: by.get(year) ?? 0 });
  return years;
}

/** A figure: bars of `counts` ({year, count}, oldest first), `unit` naming one count
 * ("work"), and the same numbers as a table under "The chart as a table". With `stacks`
 * ({keys: [{code, label}], byYear: Map(year -> Map(code -> count))}) each bar is split
 * among the keys in proportion to their counts that year (coloured as the keys' order in
 * PALETTE, so as a shares chart of the same keys), and the table gets a column per key. */
export function barChart({ id, caption, counts, unit, stacks = null }) {
  const W = 480, H = 180, left = 40, bottom = 24, top = 10;
  const max = Math.max(1, ...counts.map((c) => c.count));
  const step = (W - left) / counts.length;
  const every = Math.ceil(counts.length / 8);
  const readout = h("p", { class: "readout detail", "aria-hidden": "true" }, " ");
  const parts = (c) => (stacks ? stacks.keys.filter((k) => stacks.byYear.get(c.year)?.get(k.code)) : []);
  const said = (c) => {
    const split = parts(c).map((k) => `${k.label} ${stacks.byYear.get(c.year).get(k.code)}`);
    return `${c.year}: ${plural(c.count, unit)}${split.length ? ` (${split.join(", ")})` : ""}`;
  };
  const segments = [];
  const bars = counts.map((c, i) => {
    const height = ((H - bottom - top) * c.count) / max;
    const width = Math.min(step * 0.76, 48);
    const bar = svg(
      "rect",
      {
        x: (left + (i + 0.5) * step - width / 2).toFixed(1),
        y: (H - bottom - height).toFixed(1),
        width: width.toFixed(1),
        height: Math.max(height, c.count ? 1 : 0).toFixed(1),
        tabindex: i === counts.length - 1 ? "0" : "-1",
        role: "img",
        "aria-label": said(c),
        "data-year": c.year,
      },
      svg("title", {}, said(c)),
    );
    const split = parts(c);
    const sum = split.reduce((all, k) => all + stacks.byYear.get(c.year).get(k.code), 0);
    let y = H - bottom;
    for (const k of split) {
      const piece = (height * stacks.byYear.get(c.year).get(k.code)) / sum;
      y -= piece;
      segments.push(svg("rect", {
        class: "segment",
        x: bar.getAttribute("x"),
        y: y.toFixed(1),
        width: bar.getAttribute("width"),
        height: piece.toFixed(1),
        fill: PALETTE[stacks.keys.indexOf(k) % PALETTE.length],
        "aria-hidden": "true",
      }));
    }
    if (split.length) bar.classList.add("stacked");
    const show = () => (readout.textContent = said(c));
    bar.addEventListener("focus", show);
    bar.addEventListener("mouseenter", show);
    return bar;
  });
  const labels = counts
    .map((c, i) =>
      i % every === 0 || i === counts.length - 1
        ? svg("text", { x: (left + (i + 0.5) * step).toFixed(1), y: H - 5, "text-anchor": "middle" }, String(c.year))
        : null,
    )
    .filter(Boolean);
  const chart = svg(
    "svg",
    { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "group", "aria-label": `${caption}: use the arrow keys to go from year to year` },
    svg("line", { x1: left, x2: W, y1: H - bottom, y2: H - bottom, class: "axis" }),
    svg("text", { x: left - 6, y: top + 10, "text-anchor": "end" }, String(max)),
    svg("text", { x: left - 6, y: H - bottom, "text-anchor": "end" }, "0"),
    ...segments,
    ...bars,
    ...labels,
  );
  chart.addEventListener("keydown", (event) => {
    const at = bars.indexOf(document.activeElement);
    const to = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: bars.length - 1 }[event.key];
    if (at < 0 || to === undefined) return;
    event.preventDefault();
    const next = bars[Math.max(0, Math.min(bars.length - 1, to))];
    bars.forEach((b) => b.setAttribute("tabindex", b === next ? "0" : "-1"));
    next.focus();
  });
  const keys = stacks ? stacks.keys : [];
  const table = h(
    "table",
    {},
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "Year"),
        h("th", { scope: "col" }, `${unit[0].toUpperCase()}${unit.slice(1)}s`),
        keys.map((k) => h("th", { scope: "col" }, k.label)),
      ),
    ),
    h(
      "tbody",
      {},
      counts.map((c) =>
        h(
          "tr",
          {},
          h("th", { scope: "row" }, String(c.year)),
          h("td", {}, String(c.count)),
          keys.map((k) => h("td", {}, String(stacks.byYear.get(c.year)?.get(k.code) ?? 0))),
        ),
      ),
    ),
  );
  return h(
    "figure",
    { id, class: "chart-figure" },
    h("figcaption", {}, caption),
    chart,
    readout,
    h("details", {}, h("summary", {}, "The chart as a table"), table),
  );
}

/** A figure: one bar split into `parts` ({label, title, count}), with its legend as a list
 * that says every count and its share of `total` in words (parts may overlap: a work can
 * have several topics, so the shares can add up to more than 100%). */
export function sharesChart({ id, caption, parts, unit, total }) {
  const W = 480, H = 26;
  const sum = parts.reduce((all, p) => all + p.count, 0) || 1;
  const pct = (p) => `${Math.round((100 * p.count) / (total || sum))}%`;
  let x = 0;
  const segments = parts.map((p, i) => {
    const width = (W * p.count) / sum;
    const rect = svg(
      "rect",
      { x: x.toFixed(1), y: 0, width: width.toFixed(1), height: H, fill: PALETTE[i % PALETTE.length] },
      svg("title", {}, `${p.label}: ${plural(p.count, unit)} (${pct(p)})`),
    );
    x += width;
    return rect;
  });
  const legend = h(
    "ul",
    { class: "shares", "aria-label": caption },
    parts.map((p, i) =>
      h(
        "li",
        { title: p.title },
        h("span", { class: "swatch", style: `background:${PALETTE[i % PALETTE.length]}` }),
        `${p.label} · ${plural(p.count, unit)} (${pct(p)})`,
      ),
    ),
  );
  return h(
    "figure",
    { id, class: "chart-figure" },
    h("figcaption", {}, caption),
    svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart shares-bar", "aria-hidden": "true", preserveAspectRatio: "none" }, ...segments),
    legend,
  );
}

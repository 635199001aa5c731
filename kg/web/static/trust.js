// The trust snapshot on a profile: `Researcher.trust`'s level and score, and every reason with
// its points behind "why" (the rule is in the README, "How far to trust a record").
import { h } from "/static/kg.js";

const LEVELS = {
  VERIFIED: "Verified by its owner",
  HIGH: "High trust",
  MEDIUM: "Medium trust",
  LOW: "Low trust",
};

/** Fill the `<details>` element `root` from a `trust { score level reasons { ... } }` answer. */
export function showTrust(root, trust) {
  root.dataset.level = trust.level;
  root.replaceChildren(
    h("summary", { id: "trust-summary" }, `${LEVELS[trust.level]} · ${trust.score}/100 `, h("span", { class: "detail" }, "why?")),
    h(
      "ul",
      { id: "trust-reasons", class: "reasons" },
      trust.reasons.map((r) =>
        h("li", { "data-code": r.code }, h("span", { class: "points" }, r.points > 0 ? `+${r.points}` : String(r.points)), " ", r.text),
      ),
    ),
  );
  root.hidden = false;
}

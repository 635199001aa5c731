// Acting on a researcher's page: follow / unfollow, claim the record, and for its verified
// owner "these works are not mine" (the `splitWorks` mutation). Every write needs the API
// key of the sign-in box (session.js); signed out, the buttons say so and open it.
//
// The caller's own follow and claim come from `Researcher.viewer` (read with the page, and
// again after signing in); the answers to this tab's writes update them (kg.js `remember`).
import { apiKey, graphql, h, plainError, plural, profileUrl, recalled, remember, say } from "/static/kg.js";

const FOLLOW = `mutation Follow($id: ID!) {
  followResearcher(id: $id) { following researcher { followersCount } }
}`;
const UNFOLLOW = `mutation Unfollow($id: ID!) {
  unfollowResearcher(id: $id) { following researcher { followersCount } }
}`;
const CLAIM = `mutation Claim($id: ID!) {
  claimResearcher(id: $id) { status researcher { claimStatus } }
}`;
const VIEWER = `query Viewer($id: ID!) {
  researcher(id: $id) { claimStatus viewer { following claim } }
}`;
const SPLIT = `mutation Split($id: ID!, $works: [ID!]!, $reason: String!) {
  splitWorks(researcher: $id, works: $works, reason: $reason) {
    researcher { id name worksCount } splitFrom { worksCount }
  }
}`;
const FLASH = "kg.flash";
const CLAIM_NOTES = {
  PENDING: "Your claim is pending: an operator will verify it.",
  VERIFIED: "This is your record (claim verified).",
  REJECTED: "The operators rejected your claim on this record.",
  TAKEN: "Someone else's claim on this record is verified; contact the operators if it is yours.",
};

const $ = (name) => document.getElementById(name);

/** Wire the buttons for researcher `r` ({id, name, claimStatus}); `shown` updates the
 * card ({followersCount} or {claimStatus}); `session` is mountSession's answer. */
export function mountActions(r, session, shown) {
  const follow = $("follow");
  const claim = $("claim-record");
  const status = $("actions-status");
  let recordClaim = r.claimStatus;

  function update() {
    const signed = Boolean(apiKey());
    const mine = signed ? recalled(r.id) : {};
    follow.textContent = mine.following ? "Unfollow" : "Follow";
    follow.classList.toggle("quiet", Boolean(mine.following));
    claim.hidden = signed && ["PENDING", "VERIFIED", "TAKEN"].includes(mine.claim);
    const notes = signed
      ? [mine.following ? `You follow ${r.name}.` : "", CLAIM_NOTES[mine.claim] ?? ""]
      : ["Sign in with an API key to follow or claim this record."];
    $("actions-note").textContent = notes.filter(Boolean).join(" ");
    const owner = mine.claim === "VERIFIED";
    $("owner-tools").hidden = !owner;
    document.querySelectorAll("#works > li.work").forEach((li) => markable(li, owner));
  }

  async function act(run) {
    if (!apiKey()) {
      say(status, "Sign in first: paste your API key in the box at the top.");
      session.open();
      return;
    }
    say(status, "Working…");
    try {
      say(status, await run());
    } catch (err) {
      say(status, plainError(err), true);
    }
    update();
  }

  follow.addEventListener("click", () =>
    act(async () => {
      const following = recalled(r.id).following;
      const data = await graphql(following ? UNFOLLOW : FOLLOW, { id: r.id });
      const payload = following ? data.unfollowResearcher : data.followResearcher;
      remember(r.id, { following: payload.following });
      shown({ followersCount: payload.researcher.followersCount });
      return payload.following ? `You now follow ${r.name}.` : `You no longer follow ${r.name}.`;
    }),
  );

  claim.addEventListener("click", () =>
    act(async () => {
      const mine = await askClaim();
      return CLAIM_NOTES[mine] ?? "";
    }),
  );

  /** The caller's claim from `claimResearcher`, remembered; someone else's verified claim is "TAKEN". */
  async function askClaim() {
    try {
      const payload = (await graphql(CLAIM, { id: r.id })).claimResearcher;
      remember(r.id, { claim: payload.status });
      recordClaim = payload.researcher.claimStatus;
      shown({ claimStatus: recordClaim });
      return payload.status;
    } catch (err) {
      if (err.code !== "CONFLICT") throw err;
      remember(r.id, { claim: "TAKEN" });
      return "TAKEN";
    }
  }

  /** What `viewer` says of the caller: their follow, and their claim (someone else's
   * verified claim on the record is "TAKEN"). */
  function learn(viewer, claimStatus) {
    if (!viewer) return;
    recordClaim = claimStatus;
    const claim = viewer.claim ?? (claimStatus === "VERIFIED" ? "TAKEN" : null);
    remember(r.id, { following: viewer.following, claim });
  }

  /** After signing in: the page was read without the key, so ask `viewer` now. */
  async function askViewer() {
    if (!apiKey()) return;
    try {
      const again = (await graphql(VIEWER, { id: r.id })).researcher;
      if (again) learn(again.viewer, again.claimStatus);
    } catch (err) {
      say(status, plainError(err), true);
    }
    update();
  }

  $("not-mine").addEventListener("click", () => {
    const picked = [...document.querySelectorAll("#works .not-mine input:checked")];
    if (!picked.length) {
      say($("owner-status"), "Tick “Not mine” on the works that are another person's first.", true);
      return;
    }
    say($("owner-status"), "");
    const titles = picked.map((box) => box.closest("li").querySelector("h3").textContent);
    $("split-heading").textContent = `Move ${plural(picked.length, "work")} off your record?`;
    $("split-works").replaceChildren(...titles.map((t) => h("li", {}, t)));
    say($("split-status"), "");
    $("split-dialog").showModal();
    $("split-reason").focus();
  });
  $("split-cancel").addEventListener("click", () => $("split-dialog").close());
  $("split-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const works = [...document.querySelectorAll("#works .not-mine input:checked")].map((box) => box.value).sort();
    const button = $("split-confirm");
    button.disabled = true;
    say($("split-status"), "Moving them…");
    try {
      const done = (await graphql(SPLIT, { id: r.id, works, reason: $("split-reason").value })).splitWorks;
      const text = `Moved ${plural(works.length, "work")} to a new record, ${done.researcher.name} (${done.researcher.id}); ${plural(done.splitFrom.worksCount, "work")} stay here.`;
      sessionStorage.setItem(FLASH, JSON.stringify({ text, href: profileUrl(done.researcher.id) }));
      location.reload();
    } catch (err) {
      say($("split-status"), plainError(err), true);
      button.disabled = false;
    }
  });

  const flash = JSON.parse(sessionStorage.getItem(FLASH) ?? "null");
  if (flash) {
    sessionStorage.removeItem(FLASH);
    status.replaceChildren(flash.text, " ", h("a", { href: flash.href }, "Open the new record"));
  }
  learn(r.viewer, r.claimStatus);
  update();
  if (!r.viewer) askViewer(); // signed in while the page was loading
  return {
    /** After sign-in or sign-out. */
    changed() {
      say(status, "");
      update();
      askViewer();
    },
    /** A work item just added to the list (More works). */
    added(li) {
      markable(li, recalled(r.id).claim === "VERIFIED" && Boolean(apiKey()));
    },
  };
}

/** The "Not mine" tick box on a work item, for the owner only. */
function markable(li, owner) {
  const present = li.querySelector(".not-mine");
  if (!owner) {
    present?.remove();
    return;
  }
  if (present) return;
  const title = li.querySelector("h3")?.textContent ?? li.dataset.arxiv;
  li.append(
    h(
      "label",
      { class: "not-mine" },
      h("input", { type: "checkbox", value: li.dataset.arxiv, "aria-label": `Not mine: ${title}` }),
      " Not mine",
    ),
  );
}

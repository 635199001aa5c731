// Sign-in for a small self-hosted service: paste an API key once (the operators hand them
// out through KG_API_KEYS); it stays in this tab's sessionStorage until sign-out or the
// tab closes, and every GraphQL request then sends it as `Authorization: Bearer <key>`.
// Reads never need it; the key is checked by the server the first time it is used.
import { apiKey, h, signIn, signOut } from "/static/kg.js";

/** Draw the sign-in box into `box`; `changed(signedIn)` runs after sign-in and sign-out. */
export function mountSession(box, changed) {
  const draw = () => box.replaceChildren(...(apiKey() ? signedIn() : signedOut()));

  function signedIn() {
    const out = h("button", { type: "button", class: "quiet" }, "Sign out");
    out.addEventListener("click", () => {
      signOut();
      draw();
      box.querySelector("button")?.focus();
      changed(false);
    });
    const tail = apiKey().slice(-4);
    return [h("span", { id: "signed-in", class: "signed-in" }, `Signed in (key …${tail})`), out];
  }

  function signedOut() {
    const open = h("button", { type: "button", class: "quiet", "aria-expanded": "false", "aria-controls": "sign-in-form" }, "Sign in");
    const key = h("input", { id: "api-key", type: "password", autocomplete: "off", required: "", minlength: "16", spellcheck: "false" });
    const form = h(
      "form",
      { id: "sign-in-form", class: "sign-in", hidden: "" },
      h("label", { for: "api-key" }, "API key"),
      key,
      h("button", { type: "submit" }, "Sign in"),
      h("p", { class: "detail" }, "Ask the operators for a key. It stays in this tab only, until you sign out or close it."),
    );
    open.addEventListener("click", () => {
      form.hidden = !form.hidden;
      open.setAttribute("aria-expanded", String(!form.hidden));
      if (!form.hidden) key.focus();
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      signIn(key.value);
      draw();
      changed(true);
    });
    return [open, form];
  }

  draw();
  /** Show the sign-in form (from a button that needs it) and put the cursor in it. */
  function open() {
    const button = box.querySelector('[aria-controls="sign-in-form"]');
    if (button?.getAttribute("aria-expanded") === "false") button.click();
    box.querySelector("#api-key")?.focus();
  }
  return { open };
}

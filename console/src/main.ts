// Consola de oficiales de la CEPR: habla solo con la API GraphQL del hub (y /oauth/token).
import { api, asErrors, mayRun } from "./api";
import { $, h, showErrors } from "./dom";
import { ROLE_ES } from "./labels";
import { loadAccessLog } from "./pages/access_log";
import { loadCase } from "./pages/case";
import { dashboardCards, loadDashboard, type Who } from "./pages/dashboard";
import { loadDuplicates } from "./pages/duplicates";
import { fillFilters, loadCases, presetStatus } from "./pages/inbox";
import { loadQueue, resetQueue } from "./pages/queue";
import { bulkStatusForm } from "./pages/bulk";
import { downloadList, renderSaved, saveCurrent } from "./pages/saved";
import { loadSearch } from "./pages/search";
import { clearSession, loadSession, loginWithPassword, restoreToken, setToken, state } from "./session";

const PAGES = ["#dashboard", "#inbox", "#queue", "#duplicates", "#detail", "#results", "#accesslog"] as const;

function logout(errors?: Parameters<typeof showErrors>[1]): void {
  clearSession();
  $("#cases tbody").replaceChildren();
  $("#who").replaceChildren();
  if (errors) showErrors($("#login-error"), errors);
  location.hash = "#/";
  void render();
}
api.onSessionLost = logout;

function show(page: (typeof PAGES)[number] | null, nav: string | null): void {
  for (const p of PAGES) $(p).hidden = p !== page;
  for (const a of document.querySelectorAll<HTMLElement>("[data-nav]")) {
    if (a.dataset.nav === nav) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
}

async function render(): Promise<void> {
  const loggedIn = Boolean(api.token);
  $("#login").hidden = loggedIn;
  $("#nav").hidden = !loggedIn;
  $("#search").hidden = !loggedIn;
  if (!loggedIn) { show(null, null); $("#username").focus(); return; }
  let early: { who: Who; cards: ReturnType<typeof dashboardCards> } | null = null;
  if (!state.session) {
    // the dashboard's queries start with the session's, from the token's (unverified)
    // claims; they are used only if the session confirms the same role and office
    const who = tokenClaims();
    if (who && (location.hash || "#/") === "#/") {
      api.role = who.role;
      early = { who, cards: dashboardCards(who) };
      early.cards.catch(() => undefined);
    }
    try {
      const s = await loadSession();
      $("#who").replaceChildren(h("span", {}, `${ROLE_ES[s.role] ?? s.role}${s.officeCode ? ` · Oficina ${s.officeCode}` : ""}`),
        h("button", { type: "button", onclick: () => logout() }, "Cerrar sesión"));
      fillFilters();
      renderSaved(() => void loadCases(true));
      const bulk = bulkStatusForm(() => void loadCases(true));
      $("#bulk").replaceChildren(...(bulk ? [bulk] : []));
      $("#cases").classList.toggle("no-bulk", !bulk);
      $('[data-nav="queue"]').hidden = !mayRun("Queue");
      $('[data-nav="duplicates"]').hidden = !mayRun("Duplicates");
      $('[data-nav="accesslog"]').hidden = !mayRun("AccessLog");
    } catch (e) {
      if (!api.token) return; // rejected token: logout() already shows the login with the error
      show("#dashboard", null);
      showErrors($("#dashboard-errors"), (e as { errors?: [] }).errors ?? asErrors(e));
      return;
    }
  }
  const hash = location.hash || "#/";
  const caseMatch = hash.match(/^#\/expediente\/(\d+)$/);
  if (caseMatch) { show("#detail", null); await loadCase(Number(caseMatch[1])); return; }
  if (hash.startsWith("#/buscar?")) {
    show("#results", null);
    await loadSearch(new URLSearchParams(hash.split("?")[1]).get("q") ?? "");
    return;
  }
  if (hash === "#/accesos" && mayRun("AccessLog")) { show("#accesslog", "accesslog"); await loadAccessLog(true); return; }
  if (hash === "#/cola" && mayRun("Queue")) { show("#queue", "queue"); resetQueue(); await loadQueue(); return; }
  if (hash === "#/duplicados" && mayRun("Duplicates")) { show("#duplicates", "duplicates"); await loadDuplicates(); return; }
  if (hash.startsWith("#/expedientes")) {
    show("#inbox", "inbox");
    presetStatus(new URLSearchParams(hash.split("?")[1] ?? "").get("estado"));
    await loadCases(true);
    return;
  }
  show("#dashboard", "dashboard");
  await loadDashboard(early);
}

function tokenClaims(): Who | null {
  try {
    const part = (api.token ?? "").split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(atob(part)) as { role?: unknown; office?: unknown };
    return typeof claims.role === "string" ? { role: claims.role, officeCode: typeof claims.office === "string" ? claims.office : null } : null;
  } catch {
    return null;
  }
}

function search(ev: Event): void {
  ev.preventDefault();
  performance.mark("qhub:search");
  const q = $<HTMLInputElement>("#q").value.trim();
  const out = $("#search-out");
  const number = q.replace(/^(n\.?\s*º?|exp(ediente)?\.?)\s*/i, "");
  if (q.length < 2) { out.hidden = false; out.textContent = "Escriba al menos 2 letras o cifras."; return; }
  out.hidden = true;
  // a case number opens the case; anything else (document, name) lists what matches
  location.hash = /^\d+$/.test(number) && number.length <= 7 ? `#/expediente/${Number(number)}` : `#/buscar?q=${encodeURIComponent(q)}`;
}

function init(): void {
  restoreToken();
  $("#detail-title").setAttribute("tabindex", "-1");
  $("#login-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const err = $("#login-error");
    const button = $<HTMLButtonElement>("#login-form button");
    const user = $<HTMLInputElement>("#username").value.trim();
    const pw = $<HTMLInputElement>("#password").value;
    if (!user || !pw) { err.hidden = false; err.textContent = "Ingrese usuario y contraseña."; return; }
    button.disabled = true; err.hidden = true;
    performance.mark("qhub:login");
    try { setToken(await loginWithPassword(user, pw)); $<HTMLInputElement>("#password").value = ""; await render(); }
    catch (e) { err.hidden = false; err.textContent = (e as Error).message; }
    finally { button.disabled = false; }
  });
  $("#token-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const t = $<HTMLTextAreaElement>("#token").value.trim().replace(/^Bearer\s+/i, "");
    if (!t) { const err = $("#login-error"); err.hidden = false; err.textContent = "Pegue un token."; return; }
    setToken(t); $<HTMLTextAreaElement>("#token").value = ""; await render();
  });
  $("#filters").addEventListener("submit", (ev) => { ev.preventDefault(); void loadCases(true); });
  $("#filters").addEventListener("reset", () => setTimeout(() => void loadCases(true)));
  $("#more").addEventListener("click", () => void loadCases(false));
  $("#search").addEventListener("submit", search);
  $("#save-filter").addEventListener("submit", (ev) => { ev.preventDefault(); saveCurrent(() => void loadCases(true)); });
  $("#download-list").addEventListener("click", downloadList);
  window.addEventListener("hashchange", () => void render());
  void render();
}

init();

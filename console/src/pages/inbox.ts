// The case list with filters and keyset paging.
import { asErrors, run } from "../api";
import { $, fmtCountry, fmtDate, fmtScore, h, showErrors, statusText } from "../dom";
import type { CaseFilter, CaseStatus } from "../generated/types";
import { STATUS_ES } from "../labels";
import { state } from "../session";
import { pick } from "./bulk";

const PAGE = 25;
const inbox = { after: null as string | null, filter: null as CaseFilter | null, loading: false };

export function fillFilters(): void {
  const fill = (select: HTMLSelectElement, options: [string, string][]) =>
    select.replaceChildren(select.options[0], ...options.map(([v, t]) => h("option", { value: v }, t)));
  const s = state.session!;
  fill($<HTMLSelectElement>("select[name=office]"), s.offices.map((o) => [o.code, `${o.code} — ${o.name}`]));
  fill($<HTMLSelectElement>("select[name=status]"), Object.entries(STATUS_ES));
  fill($<HTMLSelectElement>("select[name=need]"), [...s.needLabels].map(([code, label]) => [code, `${code} — ${label}`]));
}

function readFilter(): CaseFilter | null {
  const f = new FormData($<HTMLFormElement>("#filters"));
  const get = (k: string) => String(f.get(k) ?? "").trim();
  const filter: CaseFilter = { officeCodes: null, statuses: null, needCodes: null, nationalities: null, filedFrom: null, filedTo: null };
  if (get("office")) filter.officeCodes = [get("office")];
  if (get("status")) filter.statuses = [get("status") as CaseStatus];
  if (get("need")) filter.needCodes = [get("need")];
  if (get("nationality")) filter.nationalities = [get("nationality").toUpperCase()];
  if (get("from")) filter.filedFrom = get("from");
  if (get("to")) filter.filedTo = get("to");
  return Object.values(filter).some((v) => v != null) ? filter : null;
}

/** The list for a status picked elsewhere (the dashboard's links). */
export function presetStatus(status: string | null): void {
  $<HTMLSelectElement>("select[name=status]").value = status ?? "";
}

export async function loadCases(reset: boolean): Promise<void> {
  if (inbox.loading) return;
  inbox.loading = true;
  const tbody = $("#cases tbody");
  const status = $("#inbox-status");
  const more = $<HTMLButtonElement>("#more");
  if (reset) { tbody.replaceChildren(); inbox.after = null; inbox.filter = readFilter(); }
  statusText(status, "Cargando expedientes…");
  more.disabled = true;
  try {
    const { data, errors } = await run("CaseList", { first: PAGE, after: inbox.after, filter: inbox.filter });
    showErrors($("#inbox-errors"), errors);
    if (!data) { statusText(status, ""); return; }
    for (const { node: c } of data.cases.edges) {
      tbody.append(h("tr", { "data-case": c.number },
        h("th", { scope: "row" }, h("span", { class: "sel" }, pick(c.number), " "), h("a", { href: `#/expediente/${c.number}` }, `N.º ${c.number}`)),
        h("td", {}, c.principal?.fullName ?? "—"), h("td", {}, fmtCountry(c.principal?.nationality)),
        h("td", {}, h("span", { class: "badge" }, c.status ? STATUS_ES[c.status] : "—")), h("td", {}, fmtDate(c.filingDate)),
        h("td", {}, fmtScore(c.priorityScore)), h("td", {}, c.office?.code ?? "—"),
        h("td", {}, c.assignedOfficer?.fullName ?? c.assignedOfficer?.username ?? "—")));
    }
    inbox.after = data.cases.pageInfo.endCursor;
    more.hidden = !data.cases.pageInfo.hasNextPage;
    const total = tbody.children.length;
    statusText(status, total === 0 ? "No hay expedientes que coincidan con los filtros."
      : `${total} expediente${total === 1 ? "" : "s"} mostrado${total === 1 ? "" : "s"}${data.cases.pageInfo.hasNextPage ? " (hay más)" : ""}.`);
  } catch (e) {
    statusText(status, "");
    showErrors($("#inbox-errors"), asErrors(e));
  } finally {
    inbox.loading = false;
    more.disabled = false;
  }
}

// The prioritised queue, paged (25 more at a time, up to the hub's 500), and the
// supervisor's automatic assignment.
import { asErrors, mayRun, run } from "../api";
import { $, card, field, fill, fmtDate, fmtScore, h, plural, showErrors, statusText, table } from "../dom";
import { state } from "../session";

const PAGE = 25;
const HUB_MAX = 500; // services/casework/priority.py: officer_queue's limit
const queue = { limit: PAGE };

export function resetQueue(): void { queue.limit = PAGE; }

export async function loadQueue(): Promise<void> {
  const body = $("#queue-body");
  const status = $("#queue-status");
  const errorsBox = $("#queue-errors");
  errorsBox.hidden = true;
  statusText(status, "Cargando cola…");
  try {
    // one more than shown: whether there is a next page
    const { data, errors } = await run("Queue", { limit: Math.min(queue.limit + 1, HUB_MAX) });
    showErrors(errorsBox, errors);
    const all = data?.officerQueue ?? [];
    const rows = all.slice(0, queue.limit);
    const hasMore = all.length > rows.length;
    const more = h("button", { type: "button", id: "queue-more", class: "secondary", hidden: !hasMore,
      onclick: () => { queue.limit = Math.min(queue.limit + PAGE, HUB_MAX - 1); void loadQueue(); } }, "Cargar más");
    fill(body,
      ...(mayRun("AssignCases") ? [assignCard()] : []),
      rows.length ? table("Expedientes por prioridad efectiva", ["Expediente", "Oficina", "Solicitud", "Prioridad", "Motivos", "Ajuste manual"],
        rows.map((q) => [h("a", { href: `#/expediente/${q.caseNumber}` }, `N.º ${q.caseNumber}`), q.officeCode ?? "—", fmtDate(q.filingDate),
          fmtScore(q.score), q.reasons?.length ? h("ul", { class: "plain" }, q.reasons.map((r) => h("li", {}, `${r.explanation} (${fmtScore(r.points)})`))) : "—",
          q.overrideReason ? `${q.overrideReason}${q.overrideBy ? ` (${q.overrideBy})` : ""}; calculada ${fmtScore(q.computedScore)}` : "—"]),
        (i) => ({ "data-case": rows[i].caseNumber })) : null,
      more);
    statusText(status, rows.length ? `${plural(rows.length, "expediente mostrado", "expedientes mostrados")}${hasMore ? " (hay más)" : ""}.` : "La cola está vacía.");
  } catch (e) {
    statusText(status, "");
    showErrors(errorsBox, asErrors(e));
  }
}

function assignCard(): HTMLElement {
  const office = state.session!.officeCode;
  const select = h("select", {}, state.session!.offices.map((o) => h("option", { value: o.code, selected: o.code === office }, `${o.code} — ${o.name}`)));
  const limit = h("input", { type: "number", min: 1, max: 1000, value: 50 });
  const out = h("div", { id: "assign-out", hidden: true });
  const form = h("form", { id: "assign-form", class: "inline-form", novalidate: true, onsubmit: async (ev: Event) => {
    ev.preventDefault();
    statusText(out, "Asignando…");
    try {
      const { data, errors } = await run("AssignCases", { office: select.value, limit: Number(limit.value) || 50 });
      if (errors.length || !data) { showErrors(out, errors); return; }
      const r = data.assignCases;
      fill(out, 
        h("p", {}, `${plural(r.assigned.length, "expediente asignado", "expedientes asignados")} (regla ${r.ruleVersion}).`),
        r.notAssigned.length ? h("div", {}, h("p", {}, `${plural(r.notAssigned.length, "expediente quedó", "expedientes quedaron")} sin asignar:`),
          h("ul", { class: "plain", id: "not-assigned" }, r.notAssigned.map((x) => h("li", { "data-case": x.caseNumber },
            h("a", { href: `#/expediente/${x.caseNumber}` }, `N.º ${x.caseNumber}`), ` — ${x.reason}`)))) : null);
      out.className = "status";
    } catch (e) { showErrors(out, asErrors(e)); }
  } }, ...field("assign-office", "Oficina", select), ...field("assign-limit", "Cuántos como máximo", limit),
  h("button", { type: "submit" }, "Asignar automáticamente"));
  return card("Asignación automática", "q-asignar", h("p", { class: "hint" },
    "Asigna los expedientes en evaluación sin oficial, de mayor prioridad primero, al oficial con el perfil adecuado y menos carga."), form, out);
}

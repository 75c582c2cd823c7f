// The case page: workflow bar, summary, people, needs, history, appointments, and the
// actions the role may take (only those; every refusal shown).
import { asErrors, forbidden, mayRun, run } from "../api";
import { $, card, fmtCountry, fmtDate, fmtDateTime, fmtScore, h, kv, showErrors, statusText, table, type Child } from "../dom";
import type { CaseDetailQuery } from "../generated/types";
import { APPT_PURPOSE_ES, APPT_STATUS_ES, DOC_ES, MODE_ES, REL_ES, SEX_ES, STATUS_ES } from "../labels";
import { state } from "../session";
import { nextMoves, STAGES } from "../workflow";
import { caseActions } from "./case_actions";
import { assignCard, documentsListCard, notesCard } from "./case_more";
import { claimCard } from "./claim";

export type CaseData = NonNullable<CaseDetailQuery["case"]>;
type Doc = { type: string | null; number: string | null; issuingCountry: string | null };

const docsText = (docs: readonly Doc[] | null | undefined): string =>
  docs?.length ? docs.map((d) => `${DOC_ES[d.type ?? ""] ?? d.type ?? "?"} ${d.number ?? ""}${d.issuingCountry ? ` (${d.issuingCountry})` : ""}`).join("; ") : "—";

/** One sentence for a case outside the caller's scope, from the row condition that failed. */
export function outOfScope(conditions: Set<string>): string {
  const office = state.session?.officeCode;
  if (conditions.has("assigned")) return "Este expediente no está asignado a usted: solo puede ver los expedientes que tiene asignados.";
  if (conditions.has("own-office")) return `Este expediente es de otra oficina: su rol solo puede ver los expedientes de ${office ? `la oficina ${office}` : "su oficina"}.`;
  return "Su rol no puede ver este expediente.";
}

function workflowBar(c: CaseData): HTMLElement {
  const status = c.status!;
  const at = STAGES.indexOf(status);
  const steps = STAGES.map((s, i) => h("li", {
    class: s === status ? "current" : at >= 0 && i < at ? "done" : "todo",
    "aria-current": s === status ? "step" : null }, STATUS_ES[s]));
  if (at < 0) steps.push(h("li", { class: "current", "aria-current": "step" }, STATUS_ES[status]));
  const moves = nextMoves(status);
  const next = moves.length
    ? h("p", { class: "next" }, "Siguiente: ", moves.map((m, i) => [i ? "; " : "", h("strong", {}, m.label), ` (actúa: ${m.who})`]))
    : h("p", { class: "next" }, "Estado final: no hay más pasos.");
  return h("nav", { class: "workflow", "aria-label": "Flujo del expediente" }, h("ol", {}, steps), next);
}

function render(c: CaseData, contact: { phone: string | null; email: string | null; languages: readonly string[] | null } | null,
  reasons: (string | null)[] | null, claim: HTMLElement | null, more: (HTMLElement | null)[]): HTMLElement {
  const pr = c.principal;
  const names = new Map((c.members ?? []).map((m) => [m.person?.id, m.person?.fullName]));
  const summary = kv([
    ["Estado", h("span", { class: "badge" }, STATUS_ES[c.status!] ?? c.status)],
    ["Fecha de solicitud", fmtDate(c.filingDate)],
    ["Oficina", c.office ? `${c.office.code} — ${c.office.name}` : "—"],
    ["Prioridad", fmtScore(c.priorityScore)],
    ["Protegido de expulsión", c.protectedFromRemoval == null ? "—" : c.protectedFromRemoval ? "Sí" : "No"],
    ["Oficial asignado", c.assignedOfficer ? `${c.assignedOfficer.fullName ?? c.assignedOfficer.username}` : "Sin asignar"],
  ]);
  const principal = pr ? kv([
    ["Nombre", pr.fullName], ["Sexo", SEX_ES[pr.sex ?? ""] ?? pr.sex], ["Nacimiento", fmtDate(pr.birthDate)],
    ["Nacionalidad", fmtCountry(pr.nationality)], ["Documentos", docsText(pr.documents)],
    ["Ingreso al Perú", fmtDate(pr.entryDate)],
    ...(contact ? [["Teléfono", contact.phone ?? "—"], ["Correo", contact.email ?? "—"],
      ["Idiomas", contact.languages?.join(", ") || "—"]] as [string, Child][] : []),
  ]) : h("p", { class: "empty" }, "Sin datos.");
  const family = c.members?.length ? table("Miembros de la familia", ["Nombre", "Parentesco", "Sexo", "Nacimiento", "Nacionalidad", "Documentos"],
    c.members.map((m) => [m.person?.fullName ?? "—", REL_ES[m.relationship ?? ""] ?? m.relationship, SEX_ES[m.person?.sex ?? ""] ?? "—",
      fmtDate(m.person?.birthDate), fmtCountry(m.person?.nationality), docsText(m.person?.documents)]))
    : h("p", { class: "empty" }, "Sin miembros registrados.");
  const needs = c.needs?.length ? table("Necesidades específicas", ["Código ACNUR", "Necesidad", "Categoría", "Persona", "Detalle"],
    c.needs.map((n) => [n.code ?? "—", state.session?.needLabels.get(n.code ?? "") ?? n.label ?? "—", n.category ?? "—",
      names.get(n.personId == null ? null : String(n.personId)) ?? "—", n.detail || "—"]))
    : h("p", { class: "empty" }, "Sin necesidades específicas registradas.");
  const history = c.history?.length ? table("Historial de estados", ["Fecha", "De", "A", "Por", ...(reasons ? ["Motivo"] : [])],
    c.history.map((x, i) => [fmtDateTime(x.at), x.fromStatus ? STATUS_ES[x.fromStatus] : "—", x.toStatus ? STATUS_ES[x.toStatus] : "—", x.actor ?? "—",
      ...(reasons ? [reasons[i] ?? "—"] : [])]))
    : h("p", { class: "empty" }, "Sin cambios de estado.");
  const appts = c.appointments?.length ? table("Citas", ["Fecha y hora", "Motivo", "Modalidad", "Estado", "Oficina"],
    c.appointments.map((a) => [fmtDateTime(a.startsAt), APPT_PURPOSE_ES[a.purpose ?? ""] ?? a.purpose ?? "—",
      a.mode === "REMOTE" && a.videoLink ? h("a", { href: a.videoLink, rel: "noopener" }, MODE_ES.REMOTE) : MODE_ES[a.mode ?? ""] ?? "—",
      APPT_STATUS_ES[a.status ?? ""] ?? a.status ?? "—", a.officeCode ?? "—"]), (i) => ({ "data-appointment": c.appointments![i].id }))
    : h("p", { class: "empty" }, "Sin citas.");
  return h("div", {},
    h("p", { class: "no-print" }, h("button", { type: "button", class: "secondary", id: "print-case", onclick: () => window.print() }, "Imprimir o guardar en PDF")),
    workflowBar(c),
    h("div", { class: "grid" }, card("Resumen", "s-resumen", summary), card("Solicitante principal", "s-principal", principal)),
    card("Familia", "s-familia", family),
    card("Necesidades específicas (ACNUR)", "s-necesidades", needs),
    card("Historial de estados", "s-historial", history),
    card("Citas", "s-citas", appts),
    claim,
    more,
    caseActions(c, () => loadCase(c.number!)));
}

export async function loadCase(number: number): Promise<void> {
  const body = $("#detail-body");
  const status = $("#detail-status");
  const errorsBox = $("#detail-errors");
  $("#detail-title").textContent = `Expediente N.º ${number}`;
  body.replaceChildren();
  errorsBox.hidden = true;
  statusText(status, "Cargando expediente…");
  try {
    const [detail, contact, reasons, claim, notes, docs] = await Promise.all([
      run("CaseDetail", { n: number }),
      mayRun("CaseContact") ? run("CaseContact", { n: number }) : Promise.resolve(null),
      mayRun("CaseHistoryReasons") ? run("CaseHistoryReasons", { n: number }) : Promise.resolve(null),
      mayRun("CaseClaim") ? run("CaseClaim", { n: number }) : Promise.resolve(null),
      mayRun("CaseNotes") ? run("CaseNotes", { n: number }) : Promise.resolve(null),
      mayRun("CaseDocuments") ? run("CaseDocuments", { n: number }) : Promise.resolve(null),
    ]);
    status.textContent = "";
    const { paths, conditions } = forbidden(detail.errors);
    const c = detail.data?.case;
    if (paths.has("case.status") || (!c && conditions.size)) {
      // outside the caller's scope: one sentence, not a page of "sin permiso"
      statusText(status, "");
      showErrors(errorsBox, [{ message: outOfScope(conditions), extensions: { code: "FORBIDDEN" } }]);
      return;
    }
    showErrors(errorsBox, [...detail.errors, ...(contact?.errors ?? []), ...(reasons?.errors ?? []), ...(claim?.errors ?? []),
      ...(notes?.errors ?? []), ...(docs?.errors ?? [])]);
    if (!c) { if (!detail.errors.length) statusText(status, "No existe un expediente con ese número."); return; }
    const why = reasons?.data?.case?.history?.map((x) => x.reason) ?? null;
    const done = () => loadCase(number);
    const more = [notesCard(c, notes?.data?.case?.notes ?? null, done), documentsListCard(c, docs?.data?.case?.issuedDocuments ?? null, done),
      assignCard(c, done)];
    body.replaceChildren(render(c, contact?.data?.case?.principal ?? null, why, claimCard(claim?.data?.case?.claim), more));
    performance.mark("qhub:case"); // the browser tests measure search -> case page
    $("#detail-title").focus();
  } catch (e) {
    statusText(status, "");
    showErrors(errorsBox, asErrors(e));
  }
}

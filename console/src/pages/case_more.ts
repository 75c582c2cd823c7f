// More of the case page (issue 14): the supervisor's manual assignment, the case's notes
// (claim data: the assigned eligibility officer writes them) and the documents issued for
// the case (download, print, revoke with a reason). Only what the role's operations allow.
import { asErrors, mayRun, run } from "../api";
import { card, field, fmtDate, fmtDateTime, h, showErrors, statusText, table, type Child } from "../dom";
import type { CaseDocumentsQuery, CaseNotesQuery } from "../generated/types";
import type { CaseData } from "./case";
import { actionForm, required } from "./case_actions";

type Done = () => Promise<void>;
type Note = NonNullable<NonNullable<CaseNotesQuery["case"]>["notes"]>[number];
type Doc = NonNullable<NonNullable<CaseDocumentsQuery["case"]>["issuedDocuments"]>[number];

const DOC_KIND_ES: Record<string, string> = { WORK_PERMIT: "Autorización de trabajo", ASYLUM_CARD: "Carné de solicitante" };
const DOC_STATUS_ES: Record<string, string> = { active: "Vigente", replaced: "Reemplazado", revoked: "Revocado" };
const PROFILE_ES: Record<string, string> = { general: "general", children: "niñez" };

/** The supervisor's manual assignment or reassignment, with the office's officers' load. */
export function assignCard(c: CaseData, done: Done): HTMLElement | null {
  if (!mayRun("AssignCase") || !c.office || !(c.status === "UNDER_REVIEW" || c.status === "APPEAL")) return null;
  const officer = h("select", {}, h("option", { value: "" }, "Cargando oficiales…"));
  const reason = h("textarea", { rows: 2 });
  void run("EligibilityOfficers", { office: c.office.code }).then(({ data, errors }) => {
    const list = data?.eligibilityOfficers ?? [];
    officer.replaceChildren(h("option", { value: "" }, list.length ? "Elija un oficial" : "La oficina no tiene oficiales de elegibilidad"),
      ...list.map((o) => h("option", { value: o.username ?? "", disabled: !o.available },
        `${o.fullName ?? o.username} · carga ${o.load ?? 0} de ${o.capacity ?? 0}${(o.load ?? 0) >= (o.capacity ?? 0) ? " (completa)" : ""}`
        + ` · perfil ${(o.profiles ?? []).filter((p) => PROFILE_ES[p]).map((p) => PROFILE_ES[p]).join(", ") || "—"}${o.available ? "" : " · no disponible"}`)));
    if (errors.length) officer.replaceChildren(h("option", { value: "" }, "No se pudieron cargar los oficiales"));
  });
  const current = c.assignedOfficer ? `Asignado ahora a ${c.assignedOfficer.fullName ?? c.assignedOfficer.username}.` : "Sin oficial asignado.";
  return card(c.assignedOfficer ? "Reasignar expediente" : "Asignar expediente", "s-asignar",
    h("p", { class: "hint" }, `${current} Mismas reglas que la asignación automática: oficial disponible de la oficina, con el perfil del expediente y carga libre.`),
    actionForm("assign-case-form", [...field("assign-officer", "Oficial de elegibilidad", officer),
      ...field("assign-reason", "Motivo (queda registrado)", reason)], c.assignedOfficer ? "Reasignar" : "Asignar",
    async () => (officer.value ? null : "Elija un oficial.") ?? required(reason.value, "Indique el motivo de la asignación.")
      ?? run("AssignCase", { n: c.number!, officer: officer.value, reason: reason.value.trim() }), done));
}

/** The case's notes, oldest first; the assigned eligibility officer adds them. */
export function notesCard(c: CaseData, notes: readonly Note[] | null, done: Done): HTMLElement | null {
  if (notes == null && !mayRun("AddCaseNote")) return null;
  const list: Child = notes?.length
    ? h("ol", { class: "plain notes" }, notes.map((n) => h("li", { "data-note": n.id },
      h("p", {}, n.text ?? "—"), h("p", { class: "hint" }, `${n.author ?? "—"} · ${fmtDateTime(n.createdAt)}`))))
    : h("p", { class: "empty" }, "Sin notas.");
  const text = h("textarea", { rows: 3 });
  const form = mayRun("AddCaseNote") ? actionForm("note-form", field("note-text", "Nueva nota", text), "Agregar nota",
    async () => required(text.value, "Escriba la nota.") ?? run("AddCaseNote", { n: c.number!, text: text.value.trim() }), done) : null;
  return card("Notas del expediente", "s-notas", h("p", { class: "hint" }, "Datos de la solicitud: cada lectura queda en el registro de accesos."), list, form);
}

async function pdfOf(c: CaseData, d: Doc): Promise<{ url: string; name: string } | null> {
  const { data, errors } = await run("DocumentPdf", { n: c.number! });
  if (errors.length) throw Object.assign(new Error(errors[0].message), { errors });
  const pdf = data?.case?.issuedDocuments?.find((x) => x.kind === d.kind && x.id === d.id)?.pdfBase64;
  if (!pdf) return null;
  const bytes = Uint8Array.from(atob(pdf), (ch) => ch.charCodeAt(0));
  const name = `${d.kind === "WORK_PERMIT" ? "autorizacion" : "carne"}-${d.number ?? d.id}.pdf`;
  return { url: URL.createObjectURL(new Blob([bytes], { type: "application/pdf" })), name };
}

function docActions(c: CaseData, d: Doc, out: HTMLElement, done: Done): Child {
  const act = (print: boolean) => async (): Promise<void> => {
    statusText(out, "Preparando el PDF…");
    try {
      const pdf = await pdfOf(c, d);
      if (!pdf) { showErrors(out, [{ message: "El documento no tiene PDF.", extensions: { code: "NOT_FOUND" } }]); return; }
      if (print) window.open(pdf.url, "_blank", "noopener");
      else h("a", { href: pdf.url, download: pdf.name }).click();
      statusText(out, print ? "PDF abierto en otra pestaña para imprimir." : `Descargado ${pdf.name}.`);
    } catch (e) { showErrors(out, (e as { errors?: [] }).errors ?? asErrors(e)); }
  };
  const label = `${DOC_KIND_ES[d.kind ?? ""] ?? d.kind} ${d.number ?? d.id}`;
  const buttons: Child[] = [
    h("button", { type: "button", class: "secondary", "data-download": d.id, "aria-label": `Descargar ${label}`, onclick: act(false) }, "Descargar"),
    h("button", { type: "button", class: "secondary", "aria-label": `Imprimir ${label}`, onclick: act(true) }, "Imprimir"),
  ];
  const op = d.kind === "WORK_PERMIT" ? "RevokeWorkPermit" : "RevokeAsylumCard";
  if (d.status === "active" && mayRun(op)) {
    const reason = h("textarea", { rows: 2 });
    buttons.push(h("details", {}, h("summary", {}, `Revocar ${d.number ?? d.id}`),
      actionForm(`revoke-doc-${d.id}`, field(`revoke-doc-${d.id}-reason`, "Motivo de la revocación", reason), "Revocar",
        async () => required(reason.value, "Indique el motivo de la revocación.") ?? run(op, { id: d.id!, reason: reason.value.trim() }), done)));
  }
  return h("div", { class: "doc-actions" }, buttons);
}

/** The documents issued for the case, newest first, with what the role may do with each. */
export function documentsListCard(c: CaseData, docs: readonly Doc[] | null, done: Done): HTMLElement | null {
  if (docs == null) return null;
  const out = h("div", { id: "documents-out", hidden: true });
  const body: Child = docs.length ? table("Documentos emitidos", ["Documento", "Número", "Estado", "Vigencia", "Emitido", "Acciones"],
    docs.map((d) => [DOC_KIND_ES[d.kind ?? ""] ?? d.kind ?? "—", d.number ?? d.id ?? "—",
      h("span", { class: "badge" }, `${DOC_STATUS_ES[d.status ?? ""] ?? d.status ?? "—"}${d.status === "revoked" && d.revokedReason ? ` (${d.revokedReason})` : ""}`),
      d.kind === "ASYLUM_CARD" ? `Desde ${fmtDate(d.validFrom)}, sin vencimiento` : `${fmtDate(d.validFrom)} – ${fmtDate(d.validTo)}`,
      `${fmtDateTime(d.issuedAt)} · ${d.issuedBy ?? "—"}`, docActions(c, d, out, done)]), (i) => ({ "data-document": docs[i].id }))
    : h("p", { class: "empty" }, "No se han emitido documentos para este expediente.");
  return card("Documentos emitidos", "s-emitidos", body, out);
}

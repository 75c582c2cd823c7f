// Possible duplicates: both persons side by side (what a person needs to compare) and the
// supervisor's decision with a reason; "misma persona" asks for a confirmation first.
import { asErrors, mayRun, run } from "../api";
import { $, fmtCountry, fmtDate, fmtDateTime, h, showErrors, statusText, type Child } from "../dom";
import type { DuplicatesQuery } from "../generated/types";
import { DOC_ES, SEX_ES, STATUS_ES } from "../labels";

type Dup = DuplicatesQuery["possibleDuplicates"][number];
type P = NonNullable<Dup["person"]>;

/** One side of the comparison; ``taken`` is the photo of this enrolment attempt (the
 * person being enrolled has none on file yet: nothing was enrolled). */
function personBlock(title: string, p: P | null, taken: string | null = null): HTMLElement {
  if (!p) return h("div", { class: "compare-col" }, h("h4", {}, title), h("p", { class: "empty" }, "Su rol no puede ver a esta persona."));
  const docs = p.documents?.map((d) => `${DOC_ES[d.type ?? ""] ?? d.type} ${d.number ?? ""}${d.issuingCountry ? ` (${d.issuingCountry})` : ""}`).join("; ") || "—";
  const cases: Child = p.cases?.length ? p.cases.map((m, i) => [i ? "; " : "", m.case?.number
    ? h("a", { href: `#/expediente/${m.case.number}` }, `N.º ${m.case.number}`) : "—",
    ` (${m.case?.status ? STATUS_ES[m.case.status] : "—"}, oficina ${m.case?.office?.code ?? "—"})`]) : "—";
  const src = taken ?? p.photo;
  const photo = src
    ? h("img", { class: "photo", src, alt: `Fotografía de ${p.fullName ?? `la persona ${p.id}`} tomada en el enrolamiento` })
    : h("p", { class: "photo none" }, "Sin fotografía de enrolamiento.");
  return h("div", { class: "compare-col" }, h("h4", {}, title), photo, h("dl", { class: "kv" },
    h("dt", {}, "Nombre"), h("dd", {}, p.fullName ?? "—"), h("dt", {}, "Persona"), h("dd", {}, `id ${p.id}`),
    h("dt", {}, "Sexo"), h("dd", {}, SEX_ES[p.sex ?? ""] ?? "—"), h("dt", {}, "Nacimiento"), h("dd", {}, fmtDate(p.birthDate)),
    h("dt", {}, "Nacionalidad"), h("dd", {}, fmtCountry(p.nationality)), h("dt", {}, "Documentos"), h("dd", {}, docs),
    h("dt", {}, "Expedientes"), h("dd", {}, cases)));
}

function decisionForm(d: Dup): HTMLElement {
  const out = h("div", { hidden: true });
  const decision = h("select", { id: `dup-${d.id}-decision` },
    h("option", { value: "DISTINCT" }, "Personas distintas"), h("option", { value: "DUPLICATE" }, "Misma persona"));
  const note = h("textarea", { id: `dup-${d.id}-note`, rows: 2 });
  const confirm = h("input", { type: "checkbox", id: `dup-${d.id}-confirm` });
  const confirmRow = h("label", { class: "check", for: `dup-${d.id}-confirm`, hidden: true }, confirm,
    " Confirmo que es la misma persona: no se enrola de nuevo y su registro sigue con el expediente ya existente.");
  decision.addEventListener("change", () => { confirmRow.hidden = decision.value !== "DUPLICATE"; });
  return h("form", { class: "decision", novalidate: true, onsubmit: async (ev: Event) => {
    ev.preventDefault();
    if (note.value.trim().length < 10) { showErrors(out, [{ message: "Explique la decisión (al menos 10 caracteres).", extensions: { code: "NOTE_REQUIRED" } }]); return; }
    if (decision.value === "DUPLICATE" && !confirm.checked) { showErrors(out, [{ message: "Marque la confirmación de que es la misma persona.", extensions: { code: "CONFIRMATION_REQUIRED" } }]); return; }
    statusText(out, "Guardando…");
    try {
      const { data, errors } = await run("ResolveDuplicate", { id: d.id, decision: decision.value as "DISTINCT", note: note.value.trim() });
      const done = data?.resolvePossibleDuplicate;
      if (errors.length || !done) { showErrors(out, errors); return; }
      (ev.target as HTMLElement).replaceWith(h("p", { class: "status" },
        `${done.status === "DUPLICATE" ? "Misma persona" : "Personas distintas"} — decidido por ${done.resolvedBy}.`));
    } catch (e) { showErrors(out, asErrors(e)); }
  } }, h("label", { for: `dup-${d.id}-decision` }, "Decisión"), decision,
  h("label", { for: `dup-${d.id}-note` }, "Motivo"), note, confirmRow, h("button", { type: "submit" }, "Decidir"), out);
}

/** Undo a "misma persona" decision, with the reason and a confirmation: the review is
 * open again and someone decides anew. */
function undoForm(d: Dup): HTMLElement {
  const out = h("div", { hidden: true });
  const note = h("textarea", { id: `undo-${d.id}-note`, rows: 2 });
  const confirm = h("input", { type: "checkbox", id: `undo-${d.id}-confirm` });
  return h("form", { class: "decision undo", novalidate: true, onsubmit: async (ev: Event) => {
    ev.preventDefault();
    if (note.value.trim().length < 10) { showErrors(out, [{ message: "Explique por qué se deshace (al menos 10 caracteres).", extensions: { code: "NOTE_REQUIRED" } }]); return; }
    if (!confirm.checked) { showErrors(out, [{ message: "Marque la confirmación para deshacer la decisión.", extensions: { code: "CONFIRMATION_REQUIRED" } }]); return; }
    statusText(out, "Guardando…");
    try {
      const { data, errors } = await run("UndoDuplicate", { id: d.id, note: note.value.trim() });
      if (errors.length || !data) { showErrors(out, errors); return; }
      (ev.target as HTMLElement).replaceWith(h("p", { class: "status" },
        `Decisión deshecha por ${data.undoDuplicateDecision.undoneBy}: la revisión vuelve a estar pendiente.`));
    } catch (e) { showErrors(out, asErrors(e)); }
  } }, h("label", { for: `undo-${d.id}-note` }, "Motivo para deshacer"), note,
  h("label", { class: "check", for: `undo-${d.id}-confirm` }, confirm,
    " Confirmo que se deshace la decisión «misma persona»: la revisión vuelve a quedar pendiente."),
  h("button", { type: "submit" }, "Deshacer «misma persona»"), out);
}

function reviewCard(d: Dup, decided: boolean): HTMLElement {
  return h("article", { class: "card review", "data-review": d.id, "aria-labelledby": `dup-${d.id}-title` },
    h("h3", { id: `dup-${d.id}-title` }, `Revisión N.º ${d.id} · similitud ${Math.round(d.score * 100)} %`),
    h("p", { class: "hint" }, `Levantada por ${d.raisedBy} el ${fmtDateTime(d.raisedAt)}.`),
    decided ? h("p", { class: "hint" }, `Misma persona — decidido por ${d.resolvedBy ?? "—"}: ${d.resolutionNote ?? "—"}`) : null,
    !decided && d.undoneBy ? h("p", { class: "hint" }, `Una decisión «misma persona» fue deshecha por ${d.undoneBy} el ${fmtDateTime(d.undoneAt)}: ${d.undoNote ?? "—"}`) : null,
    h("div", { class: "compare" }, personBlock("Persona que se enrolaba", d.person, d.photo), personBlock("Coincide con", d.matchedPerson)),
    decided ? (mayRun("UndoDuplicate") ? undoForm(d) : null)
      : mayRun("ResolveDuplicate") ? decisionForm(d) : h("p", { class: "status" }, "Pendiente (decide supervisión)."));
}

export async function loadDuplicates(): Promise<void> {
  const body = $("#duplicates-body");
  const status = $("#duplicates-status");
  body.replaceChildren();
  statusText(status, "Cargando revisiones…");
  try {
    const [open, same] = await Promise.all([run("Duplicates", { status: "OPEN", first: 200 }),
      mayRun("UndoDuplicate") ? run("Duplicates", { status: "DUPLICATE", first: 50 }) : Promise.resolve(null)]);
    showErrors($("#duplicates-errors"), [...open.errors, ...(same?.errors ?? [])]);
    const rows = open.data?.possibleDuplicates ?? [];
    const decided = same?.data?.possibleDuplicates ?? [];
    body.replaceChildren(...rows.map((d) => reviewCard(d, false)),
      ...(decided.length ? [h("h3", { id: "dup-decididas" }, "Decididas como «misma persona» (se pueden deshacer)"),
        ...decided.map((d) => reviewCard(d, true))] : []));
    statusText(status, rows.length ? `${rows.length} revisi${rows.length === 1 ? "ón pendiente" : "ones pendientes"}.` : "No hay posibles duplicados por revisar.");
  } catch (e) {
    statusText(status, "");
    showErrors($("#duplicates-errors"), asErrors(e));
  }
}

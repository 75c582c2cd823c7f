// What the logged-in role may do on a case: only the forms of the operations its contract
// allows (operations/*.graphql lists the roles; the build checked each contract).
import { asErrors, mayRun, run, type Result } from "../api";
import { card, field, fill, fmtDateTime, h, showErrors, statusText, type Child } from "../dom";
import { APPT_PURPOSE_ES, ENROL_ES, GROUND_ES, MODE_ES, STATUS_ES } from "../labels";
import { state } from "../session";
import { movesFor } from "../workflow";
import type { CaseData } from "./case";
import { registrationCard } from "./registration";

type Done = () => Promise<void>;

/** A form whose submit runs one operation; refusals and problems shown in Spanish. */
export function actionForm(id: string, controls: Child[], submit: string,
  send: () => Promise<Result<unknown> | string>, after: (data: unknown, out: HTMLElement) => Promise<void> | void): HTMLFormElement {
  const out = h("div", { id: `${id}-out`, hidden: true });
  const button = h("button", { type: "submit" }, submit);
  const form = h("form", { id, novalidate: true, onsubmit: async (ev: Event) => {
    ev.preventDefault();
    button.disabled = true;
    statusText(out, "Guardando…");
    try {
      const result = await send();
      if (typeof result === "string") { showErrors(out, [{ message: result, extensions: { code: "VALIDATION_FAILED" } }]); return; }
      if (result.errors.length || result.data == null) { showErrors(out, result.errors); return; }
      statusText(out, "Hecho.");
      await after(result.data, out);
    } catch (e) {
      showErrors(out, asErrors(e));
    } finally {
      button.disabled = false;
    }
  } }, ...controls, button, out);
  return form;
}

export const required = (value: string, message: string): string | null => (value.trim() ? null : message);

function statusCard(c: CaseData, done: Done): HTMLElement | null {
  const moves = movesFor(c.status!, state.session!.role);
  if (!mayRun("ChangeStatus") || !moves.length) return null;
  const to = h("select", {}, moves.map((m) => h("option", { value: m.to }, m.label)));
  const reason = h("textarea", { rows: 2 });
  return card("Cambiar estado", "s-accion", actionForm("status-form",
    [...field("to-status", "Nuevo estado", to), ...field("to-reason", "Motivo (queda en el historial)", reason)], "Cambiar estado",
    async () => required(reason.value, "Indique el motivo del cambio.") ?? run("ChangeStatus",
      { n: c.number!, to: to.value as CaseData["status"] & string, reason: reason.value.trim() }), done));
}

function priorityCard(c: CaseData): HTMLElement | null {
  if (!mayRun("OverridePriority")) return null;
  const score = h("input", { type: "number", step: "0.1", min: "0", inputmode: "decimal" });
  const reason = h("textarea", { rows: 2 });
  return card("Ajustar prioridad", "s-prioridad", actionForm("priority-form",
    [...field("prio-score", "Nueva prioridad (vacío: volver a la calculada)", score),
      ...field("prio-reason", "Motivo (se muestra junto a la prioridad)", reason)], "Ajustar prioridad",
    async () => required(reason.value, "Indique el motivo del ajuste.") ?? run("OverridePriority",
      { n: c.number!, score: score.value === "" ? null : Number(score.value), reason: reason.value.trim() }),
    (data, out) => {
      const q = (data as { overridePriority: { score: number | null; computedScore: number | null } }).overridePriority;
      statusText(out, `Prioridad efectiva: ${q.score ?? "—"} (calculada: ${q.computedScore ?? "—"}).`);
    }));
}

function appointmentsCard(c: CaseData, done: Done): HTMLElement | null {
  if (!mayRun("BookAppointment") || !c.office) return null;
  const slot = h("select", {}, h("option", { value: "" }, "Cargando horarios…"));
  void run("Slots", { office: c.office.code, purpose: null }).then(({ data }) => {
    const now = Date.now();
    const free = (data?.appointmentSlots ?? []).filter((s) => s.booked < s.capacity && Date.parse(s.startsAt) > now);
    slot.replaceChildren(h("option", { value: "" }, free.length ? "Elija un horario" : "No hay horarios libres"),
      ...free.map((s) => h("option", { value: s.id }, `${fmtDateTime(s.startsAt)} · ${APPT_PURPOSE_ES[s.purpose]} · ${MODE_ES[s.mode]} · ${s.capacity - s.booked} libre(s)`)));
    slot.dispatchEvent(new Event("slots"));
  });
  const parts: Child[] = [actionForm("book-form", field("book-slot", "Horario", slot), "Reservar cita",
    async () => (slot.value ? run("BookAppointment", { n: c.number!, slot: Number(slot.value) }) : "Elija un horario."), done)];
  const booked = (c.appointments ?? []).filter((a) => a.status === "BOOKED");
  if (booked.length && mayRun("RescheduleAppointment")) {
    const which = h("select", {}, booked.map((a) => h("option", { value: a.id }, `${fmtDateTime(a.startsAt)} · ${APPT_PURPOSE_ES[a.purpose ?? ""] ?? ""}`)));
    const to = h("select", {}, [...slot.options].map((o) => o.cloneNode(true) as HTMLOptionElement));
    slot.addEventListener("slots", () => to.replaceChildren(...[...slot.options].map((o) => o.cloneNode(true))));
    parts.push(actionForm("move-form", [...field("move-appt", "Cita reservada", which), ...field("move-slot", "Nuevo horario (mismo trámite)", to)],
      "Cambiar de horario", async () => (to.value ? run("RescheduleAppointment", { id: Number(which.value), slot: Number(to.value) }) : "Elija el nuevo horario."), done));
  }
  if (booked.length && mayRun("CancelAppointment")) {
    const which = h("select", {}, booked.map((a) => h("option", { value: a.id }, `${fmtDateTime(a.startsAt)} · ${APPT_PURPOSE_ES[a.purpose ?? ""] ?? ""}`)));
    parts.push(actionForm("cancel-form", field("cancel-appt", "Cita reservada", which), "Cancelar cita",
      async () => run("CancelAppointment", { id: Number(which.value) }), done));
  }
  return card("Reservar o cancelar citas", "s-reservas", parts);
}

async function base64Of(f: File): Promise<string> {
  const bytes = new Uint8Array(await f.arrayBuffer());
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function biometricsCard(c: CaseData): HTMLElement | null {
  if (!mayRun("EnrolBiometrics")) return null;
  const people = (c.members ?? []).filter((m) => m.person?.id);
  if (!people.length) return null;
  const who = h("select", {}, people.map((m) => h("option", { value: m.person!.id }, m.person!.fullName ?? m.person!.id)));
  const file = h("input", { type: "file", accept: ".tpl,.bin,application/octet-stream" });
  const photo = h("input", { type: "file", accept: "image/jpeg,image/png" });
  return card("Registro biométrico", "s-biometria", actionForm("enrol-form",
    [...field("enrol-person", "Persona", who), ...field("enrol-file", "Plantilla del lector biométrico", file),
      ...field("enrol-photo", "Fotografía (JPEG o PNG; va al carné y a la revisión de duplicados)", photo)], "Enrolar",
    async () => {
      const f = file.files?.[0];
      if (!f) return "Elija el archivo de la plantilla biométrica.";
      const picture = photo.files?.[0];
      return run("EnrolBiometrics", { person: Number(who.value), template: await base64Of(f),
        photo: picture ? await base64Of(picture) : null });
    },
    (data, out) => {
      const r = (data as { enrolBiometrics: { outcome: string | null; duplicateId: number | null } }).enrolBiometrics;
      statusText(out, ENROL_ES[r.outcome ?? ""] ?? r.outcome ?? "");
      if (r.duplicateId) out.append(" ", h("a", { href: "#/duplicados" }, `Ver la revisión N.º ${r.duplicateId}`));
    }));
}

function eligibilityCards(c: CaseData, done: Done): HTMLElement[] {
  const cards: HTMLElement[] = [];
  if (mayRun("RecordInterview")) {
    const mode = h("select", {}, Object.entries(MODE_ES).map(([k, v]) => h("option", { value: k }, v)));
    const held = h("input", { type: "datetime-local" });
    const language = h("input", { value: "spa", maxlength: 3 });
    const interpreter = h("input", { type: "checkbox" });
    const summary = h("textarea", { rows: 4 });
    cards.push(card("Registrar entrevista", "s-entrevista", actionForm("interview-form",
      [...field("iv-mode", "Modalidad", mode), ...field("iv-held", "Fecha y hora (hora de Lima)", held),
        ...field("iv-language", "Idioma (ISO 639-3)", language),
        h("label", { class: "check" }, interpreter, " Con intérprete"), ...field("iv-summary", "Resumen de la entrevista", summary)],
      "Registrar entrevista",
      async () => (!held.value ? "Indique la fecha y hora de la entrevista." : required(summary.value, "Escriba el resumen de la entrevista.")) ??
        run("RecordInterview", { n: c.number!, mode: mode.value as "IN_PERSON", heldAt: `${held.value}:00-05:00`,
          summary: summary.value.trim(), language: language.value.trim() || "spa", interpreter: interpreter.checked }),
      done)));
  }
  if (mayRun("RecordAssessment")) {
    const grounds = Object.entries(GROUND_ES).map(([k, v]) => h("label", { class: "check" }, h("input", { type: "checkbox", name: "ground", value: k }), ` ${v}`));
    const credibility = h("textarea", { rows: 2 });
    const analysis = h("textarea", { rows: 4 });
    const recommendation = h("select", {}, h("option", { value: "RECOGNISE" }, "Reconocer"), h("option", { value: "REJECT" }, "Denegar"));
    cards.push(card("Registrar evaluación", "s-evaluacion", actionForm("assessment-form",
      [h("fieldset", {}, h("legend", {}, "Motivos de la solicitud"), grounds), ...field("as-credibility", "Credibilidad", credibility),
        ...field("as-analysis", "Análisis", analysis), ...field("as-recommendation", "Recomendación", recommendation)],
      "Registrar evaluación",
      async () => {
        const chosen = grounds.map((g) => g.querySelector("input")!).filter((i) => i.checked).map((i) => i.value);
        return (chosen.length ? null : "Marque al menos un motivo.") ?? required(credibility.value, "Escriba la valoración de credibilidad.") ??
          required(analysis.value, "Escriba el análisis.") ?? run("RecordAssessment", { n: c.number!, grounds: chosen as "RACE"[],
          credibility: credibility.value.trim(), analysis: analysis.value.trim(), recommendation: recommendation.value as "RECOGNISE" });
      },
      done)));
  }
  return cards;
}

export function pdfLink(base64: string | null, name: string): Child {
  if (!base64) return null;
  const bytes = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: "application/pdf" }));
  return h("a", { href: url, download: name, class: "download" }, `Descargar ${name}`);
}

function revokeForm(kind: "permit" | "card", id: string): HTMLElement {
  const reason = h("textarea", { rows: 2 });
  return actionForm(`revoke-${kind}`, field(`revoke-${kind}-reason`, "Motivo de la revocación", reason),
    kind === "permit" ? "Revocar autorización" : "Revocar carné",
    async () => required(reason.value, "Indique el motivo de la revocación.") ??
      (kind === "permit" ? run("RevokeWorkPermit", { id, reason: reason.value.trim() }) : run("RevokeAsylumCard", { id, reason: reason.value.trim() })),
    (_data, out) => statusText(out, kind === "permit" ? "Autorización revocada: su QR dirá «revocada»." : "Carné revocado: su QR dirá «revocado»."));
}

function secretaryCards(c: CaseData, done: Done): HTMLElement[] {
  const cards: HTMLElement[] = [];
  if (mayRun("DecideCase") && (c.status === "UNDER_REVIEW" || c.status === "APPEAL")) {
    const outcome = h("select", {}, h("option", { value: "RECOGNISED" }, STATUS_ES.RECOGNISED), h("option", { value: "REJECTED" }, STATUS_ES.REJECTED));
    const reasons = h("textarea", { rows: 4 });
    cards.push(card("Decisión de la Secretaría Ejecutiva", "s-decision", actionForm("decision-form",
      [...field("decision-outcome", "Decisión", outcome), ...field("decision-reasons", "Fundamentos", reasons)], "Firmar decisión",
      async () => required(reasons.value, "Escriba los fundamentos de la decisión.") ??
        run("DecideCase", { n: c.number!, outcome: outcome.value as "RECOGNISED", reasons: reasons.value.trim() }), done)));
  }
  if (mayRun("IssueWorkPermit")) {
    const area = h("div", {});
    const permit = actionForm("permit-form", [], "Emitir autorización de trabajo", async () => run("IssueWorkPermit", { n: c.number! }),
      (data) => {
        const p = (data as { issueWorkPermit: { id: string; validTo: string | null; pdfBase64: string | null } | null }).issueWorkPermit;
        if (p) fill(area, h("p", { class: "status" }, `Autorización N.º ${p.id} emitida.`), pdfLink(p.pdfBase64, `autorizacion-${c.number}.pdf`), revokeForm("permit", p.id));
      });
    const cardForm = actionForm("card-form", [], "Emitir carné de solicitante", async () => run("IssueAsylumCard", { n: c.number! }),
      (data) => {
        const k = (data as { issueAsylumCard: { id: string; number: string | null; pdfBase64: string | null } | null }).issueAsylumCard;
        if (k) fill(area, h("p", { class: "status" }, `Carné ${k.number ?? k.id} emitido.`), pdfLink(k.pdfBase64, `carne-${c.number}.pdf`), revokeForm("card", k.id));
      });
    cards.push(card("Documentos del titular", "s-documentos", h("div", { class: "inline-form" }, permit, cardForm), area));
  }
  return cards;
}

export function caseActions(c: CaseData, done: Done): HTMLElement {
  const cards = [registrationCard(c, done), biometricsCard(c), statusCard(c, done), priorityCard(c), appointmentsCard(c, done),
    ...eligibilityCards(c, done), ...secretaryCards(c, done)].filter((x): x is HTMLElement => x != null);
  return h("div", { class: "actions" }, cards);
}

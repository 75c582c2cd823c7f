// The role's dashboard: cases by status and how long they wait, today's appointments,
// new possible duplicates, and the caller's own queue.
import { asErrors, mayRun, run } from "../api";
import { $, card, daysSince, fmtDate, fmtTime, h, limaDay, plural, showErrors, statusText, table } from "../dom";
import type { CaseStatus } from "../generated/types";
import { APPT_PURPOSE_ES, MODE_ES, STATUS_ES } from "../labels";
import { state } from "../session";
import { awaitingDecisionCard } from "./claim";
import { slotCard } from "./slots";

const COUNTED = 500; // one page of case numbers per status; more shows as "más de 500"
const KEYS: [string, CaseStatus][] = [["preRegistered", "PRE_REGISTERED"], ["appointmentScheduled", "APPOINTMENT_SCHEDULED"],
  ["registered", "REGISTERED"], ["underReview", "UNDER_REVIEW"], ["rejected", "REJECTED"], ["appeal", "APPEAL"]];
// what each role acts on first: its statuses come first on the dashboard
const FOCUS: Record<string, CaseStatus[]> = {
  "cepr-registrar": ["PRE_REGISTERED", "APPOINTMENT_SCHEDULED", "REGISTERED"],
  "cepr-supervisor": ["REGISTERED", "UNDER_REVIEW", "APPEAL"],
  "cepr-eligibility": ["UNDER_REVIEW"],
  "cepr-secretary": ["UNDER_REVIEW", "APPEAL", "REJECTED"],
};

/** A wait in days, months or years, as a person says it. */
function waited(days: number): string {
  if (days < 60) return plural(days, "día", "días");
  if (days < 730) return plural(Math.floor(days / 30.4), "mes", "meses");
  return `${(days / 365.25).toLocaleString("es-PE", { maximumFractionDigits: 1 })} años`;
}

type Counted = { edges: { node: { number: number | null; filingDate: string | null } }[]; pageInfo: { hasNextPage: boolean } };

/** Who the dashboard is for: from the session, or from the token's claims to start early. */
export interface Who { role: string; officeCode: string | null }

async function countsCard(who: Who): Promise<HTMLElement> {
  const office = who.officeCode;
  const { data, errors } = await run("Dashboard", { office: office ? [office] : null, first: COUNTED });
  const focus = FOCUS[who.role] ?? [];
  const rows = KEYS.map(([key, status]) => {
    const conn = (data as Record<string, Counted> | null)?.[key];
    const n = conn?.edges.length ?? 0;
    const oldest = conn?.edges.map((e) => e.node.filingDate).filter(Boolean).sort()[0] ?? null;
    return { status, n, more: conn?.pageInfo.hasNextPage ?? false, oldest };
  }).sort((a, b) => Number(focus.includes(b.status)) - Number(focus.includes(a.status)));
  const box = h("div", { hidden: true });
  showErrors(box, errors);
  return card("Expedientes abiertos por estado", "d-estados", box, table("Expedientes por estado",
    ["Estado", "Expedientes", "Espera más larga"],
    rows.map((r) => [h("a", { href: `#/expedientes?estado=${r.status}` }, STATUS_ES[r.status]),
      r.more ? `más de ${COUNTED}` : r.n.toLocaleString("es-PE"),
      r.oldest ? h("span", { title: `Solicitud del ${fmtDate(r.oldest)}` }, waited(daysSince(r.oldest))) : "—"]),
    (i) => ({ "data-status": rows[i].status })));
}

async function appointmentsCard(office: string): Promise<HTMLElement> {
  const { data, errors } = await run("Slots", { office, purpose: null });
  const today = limaDay(new Date());
  const slots = (data?.appointmentSlots ?? []).filter((s) => limaDay(s.startsAt) === today);
  const booked = slots.reduce((n, s) => n + s.booked, 0);
  const box = h("div", { hidden: true });
  showErrors(box, errors);
  return card("Citas de hoy", "d-citas", box,
    h("p", { class: "big", id: "d-citas-total" }, `${plural(booked, "cita reservada", "citas reservadas")} en ${plural(slots.length, "horario", "horarios")}`),
    slots.length ? table("Horarios de hoy", ["Hora", "Trámite", "Modalidad", "Reservadas"],
      slots.map((s) => [fmtTime(s.startsAt), APPT_PURPOSE_ES[s.purpose], MODE_ES[s.mode], `${s.booked} de ${s.capacity}`]))
      : h("p", { class: "empty" }, "No hay horarios hoy en su oficina."));
}

async function duplicatesCard(): Promise<HTMLElement> {
  const { data, errors } = await run("Duplicates", { status: "OPEN", first: 200 });
  const open = data?.possibleDuplicates ?? [];
  const box = h("div", { hidden: true });
  showErrors(box, errors);
  return card("Posibles duplicados nuevos", "d-duplicados", box,
    h("p", { class: "big" }, h("a", { href: "#/duplicados" }, plural(open.length, "revisión pendiente", "revisiones pendientes"))));
}

async function queueCard(who: Who): Promise<HTMLElement> {
  const { data, errors } = await run("Queue", { limit: 5 });
  const rows = data?.officerQueue ?? [];
  const title = who.role === "cepr-eligibility" ? "Asignados a mí" : "Primeros de la cola";
  const box = h("div", { hidden: true });
  showErrors(box, errors);
  return card(title, "d-cola", box, rows.length ? table(title, ["Expediente", "Solicitud", "Prioridad"],
    rows.map((q) => [h("a", { href: `#/expediente/${q.caseNumber}` }, `N.º ${q.caseNumber}`), fmtDate(q.filingDate), q.score?.toFixed(1) ?? "—"]))
    : h("p", { class: "empty" }, "No hay expedientes en su cola."), h("p", {}, h("a", { href: "#/cola" }, "Ver la cola completa")));
}

/** The dashboard's cards, queried in parallel (their errors shown in each card). */
export function dashboardCards(who: Who): Promise<(HTMLElement | null)[]> {
  const parts: Promise<HTMLElement | null>[] = [awaitingDecisionCard()];
  if (mayRun("Queue")) parts.push(queueCard(who));
  parts.push(countsCard(who));
  if (who.officeCode && mayRun("Slots")) parts.push(appointmentsCard(who.officeCode));
  if (mayRun("Duplicates")) parts.push(duplicatesCard());
  return Promise.all(parts);
}

export async function loadDashboard(early: { who: Who; cards: Promise<(HTMLElement | null)[]> } | null = null): Promise<void> {
  const body = $("#dashboard-body");
  const status = $("#dashboard-status");
  const errorsBox = $("#dashboard-errors");
  errorsBox.hidden = true;
  statusText(status, "Cargando el tablero…");
  const s = state.session!;
  const who = { role: s.role, officeCode: s.officeCode };
  // cards started before the session answered are used only if they were for this caller
  const cards = early && early.who.role === who.role && early.who.officeCode === who.officeCode ? early.cards : dashboardCards(who);
  try {
    body.replaceChildren(h("div", { class: "grid" }, await cards, slotCard(() => loadDashboard())));
    performance.mark("qhub:dashboard"); // the browser tests measure login -> dashboard
    statusText(status, "");
  } catch (e) {
    statusText(status, "");
    showErrors(errorsBox, asErrors(e));
  }
}

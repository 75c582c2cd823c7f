// Opening an appointment slot of the office (never in the past).
import { mayRun, run } from "../api";
import { card, field, fmtDateTime, h, limaDay, statusText } from "../dom";
import type { AppointmentMode, AppointmentPurpose } from "../generated/types";
import { APPT_PURPOSE_ES, MODE_ES } from "../labels";
import { state } from "../session";
import { actionForm } from "./case_actions";

/** "YYYY-MM-DDTHH:MM" typed in Lima time, as an instant (Lima has no daylight saving). */
export const limaInstant = (local: string): string => `${local}:00-05:00`;

export function slotCard(done: () => Promise<void>): HTMLElement | null {
  const office = state.session?.officeCode;
  if (!office || !mayRun("CreateSlot")) return null;
  const starts = h("input", { type: "datetime-local" });
  const purpose = h("select", {}, Object.entries(APPT_PURPOSE_ES).map(([k, v]) => h("option", { value: k }, v)));
  const mode = h("select", {}, Object.entries(MODE_ES).map(([k, v]) => h("option", { value: k }, v)));
  const capacity = h("input", { type: "number", min: 1, max: 50, value: 4 });
  const minutes = h("input", { type: "number", min: 10, max: 240, value: 30 });
  return card(`Abrir un horario en ${office}`, "d-horario", actionForm("slot-form", [
    ...field("slot-starts", "Fecha y hora (hora de Lima)", starts), ...field("slot-purpose", "Trámite", purpose),
    ...field("slot-mode", "Modalidad", mode), ...field("slot-capacity", "Cupos", capacity), ...field("slot-minutes", "Minutos", minutes),
  ], "Abrir horario", async () => {
    if (!starts.value) return "Indique la fecha y hora del horario.";
    if (Date.parse(limaInstant(starts.value)) <= Date.now()) return "El horario no puede estar en el pasado.";
    return run("CreateSlot", { office, startsAt: limaInstant(starts.value), mode: mode.value as AppointmentMode,
      purpose: purpose.value as AppointmentPurpose, capacity: Number(capacity.value), minutes: Number(minutes.value) });
  }, (data, out) => {
    const slot = (data as { createAppointmentSlot: { startsAt: string; capacity: number } }).createAppointmentSlot;
    statusText(out, `Horario abierto: ${fmtDateTime(slot.startsAt)}, ${slot.capacity} cupos.`);
    if (limaDay(slot.startsAt) === limaDay(new Date())) void done(); // today's appointments change
  }));
}

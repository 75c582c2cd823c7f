// The case status machine as services/casework/status.py declares it (a test compares the
// two): where a case is, what comes next and who acts.
import type { CaseStatus } from "./generated/types";
import { STATUS_ES } from "./labels";
import machine from "./workflow.json";

type Group = keyof typeof machine.groups;
const WHO_ES: Record<Group, string> = { workflow: "Registro o supervisión", decision: "Secretaría Ejecutiva, con su decisión",
  appeal: "Registro o supervisión, con la apelación", closing: "Supervisión" };
// decisions and appeals have their own forms (decideCase, fileAppeal), not a status change
const OWN_FORM: Group[] = ["decision", "appeal"];

export const STAGES = machine.stages as CaseStatus[];

export interface Move { to: CaseStatus; label: string; who: string; roles: readonly string[]; generic: boolean }

export function nextMoves(from: CaseStatus): Move[] {
  return machine.transitions
    .filter(([f]) => f === from)
    .map(([, to, group]) => ({ to: to as CaseStatus, label: STATUS_ES[to as CaseStatus],
      who: WHO_ES[group as Group], roles: machine.groups[group as Group], generic: !OWN_FORM.includes(group as Group) }));
}

/** The status changes ``role`` itself may make from ``from`` (the status form offers only these). */
export function movesFor(from: CaseStatus, role: string): Move[] {
  return nextMoves(from).filter((m) => m.generic && m.roles.includes(role));
}

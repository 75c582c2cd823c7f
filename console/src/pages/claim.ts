// The claim file of a case read back: interviews, assessments, decisions and appeals; and
// the Secretary's cases waiting for a decision with their recommendation.
import { mayRun, run } from "../api";
import { card, fmtDateTime, h, plural, table } from "../dom";
import type { CaseClaimQuery } from "../generated/types";
import { GROUND_ES, MODE_ES, STATUS_ES } from "../labels";
import { forEachSelected, pick, selected } from "./bulk";
import { pdfLink } from "./case_actions";

type Claim = NonNullable<NonNullable<CaseClaimQuery["case"]>["claim"]>;
export const RECOMMENDATION_ES: Record<string, string> = { RECOGNISE: "Reconocer", REJECT: "Denegar" };

export function claimCard(claim: Claim | null | undefined): HTMLElement | null {
  if (!claim) return null;
  const parts = [];
  const interviews = claim.interviews ?? [];
  const assessments = claim.assessments ?? [];
  const decisions = claim.decisions ?? [];
  const appeals = claim.appeals ?? [];
  if (interviews.length) parts.push(h("h4", {}, "Entrevistas"), table("Entrevistas", ["Fecha", "Modalidad", "Idioma", "Resumen", "Registró"],
    interviews.map((i) => [fmtDateTime(i.heldAt), MODE_ES[i.mode ?? ""] ?? "—", `${i.language ?? "—"}${i.interpreter ? " (con intérprete)" : ""}`,
      i.summary ?? "—", `${i.interviewer ?? "—"}, ${fmtDateTime(i.recordedAt)}`])));
  if (assessments.length) parts.push(h("h4", {}, "Evaluaciones"), table("Evaluaciones", ["Recomendación", "Motivos", "Credibilidad", "Análisis", "Registró"],
    assessments.map((a) => [h("strong", {}, RECOMMENDATION_ES[a.recommendation ?? ""] ?? "—"), (a.grounds ?? []).map((g) => GROUND_ES[g] ?? g).join(", ") || "—",
      a.credibility ?? "—", a.analysis ?? "—", `${a.assessor ?? "—"}, ${fmtDateTime(a.recordedAt)}`])));
  if (decisions.length) parts.push(h("h4", {}, "Decisiones"), table("Decisiones", ["Instancia", "Decisión", "Fundamentos", "Firmó"],
    decisions.map((d) => [d.instance === "appeal" ? "Apelación" : "Primera instancia", d.outcome ? STATUS_ES[d.outcome] : "—",
      d.reasons ?? "—", `${d.decidedBy ?? "—"}, ${fmtDateTime(d.decidedAt)}`])));
  if (appeals.length) parts.push(h("h4", {}, "Apelaciones"), table("Apelaciones", ["Fundamentos", "Presentó"],
    appeals.map((a) => [a.grounds ?? "—", `${a.filedBy ?? "—"}, ${fmtDateTime(a.filedAt)}`])));
  return card("Solicitud: entrevistas, evaluaciones y decisiones", "s-solicitud",
    parts.length ? parts : h("p", { class: "empty" }, "Aún no hay entrevistas, evaluaciones ni decisiones registradas."));
}

export async function awaitingDecisionCard(): Promise<HTMLElement | null> {
  if (!mayRun("AwaitingDecision")) return null;
  const { data } = await run("AwaitingDecision", { first: 50 });
  const nodes = (data?.cases.edges ?? []).map((e) => e.node)
    .map((c) => ({ c, last: (c.claim?.assessments ?? []).at(-1) ?? null }))
    .sort((a, b) => Number(Boolean(b.last)) - Number(Boolean(a.last)));
  return card("Esperan su decisión", "d-decision",
    h("p", {}, `${plural(nodes.length, "expediente", "expedientes")}${data?.cases.pageInfo.hasNextPage ? " (hay más)" : ""}; los evaluados primero.`),
    nodes.length ? table("Expedientes que esperan decisión", ["Expediente", "Solicitante", "Estado", "Recomendación"],
      nodes.slice(0, 10).map(({ c, last }) => [h("span", {}, pick(c.number), " ", h("a", { href: `#/expediente/${c.number}` }, `N.º ${c.number}`)),
        c.principal?.fullName ?? "—", c.status ? STATUS_ES[c.status] : "—",
        last ? `${RECOMMENDATION_ES[last.recommendation ?? ""] ?? "—"} (${last.assessor ?? "—"})` : "Sin evaluación"]))
      : null,
    nodes.length && mayRun("IssueWorkPermit") ? batchPermits() : null);
}

function batchPermits(): HTMLElement {
  const out = h("div", { id: "batch-out", hidden: true, "aria-live": "polite" });
  return h("form", { id: "batch-form", novalidate: true, onsubmit: async (ev: Event) => {
    ev.preventDefault();
    const card = (ev.target as HTMLElement).closest("section")!;
    await forEachSelected(selected(card), out, (n) => run("IssueWorkPermit", { n }), (n, data) => {
      const p = (data as { issueWorkPermit: { id: string; pdfBase64: string | null } | null }).issueWorkPermit;
      return h("span", {}, `autorización N.º ${p?.id} emitida. `, pdfLink(p?.pdfBase64 ?? null, `autorizacion-${n}.pdf`));
    });
  } }, h("button", { type: "submit", class: "secondary" }, "Emitir autorizaciones de trabajo de los seleccionados"), out);
}

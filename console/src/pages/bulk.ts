// Actions on the selected rows of a list: one operation per case, each outcome shown.
import { asErrors, mayRun, run, type Result } from "../api";
import { $, field, fill, h, statusText } from "../dom";
import type { CaseStatus } from "../generated/types";
import { STATUS_ES } from "../labels";

export const selected = (root: ParentNode): number[] =>
  [...root.querySelectorAll<HTMLInputElement>("input.pick:checked")].map((i) => Number(i.value));

export function pick(number: number | null): HTMLElement {
  return h("input", { type: "checkbox", class: "pick", value: number ?? "", "aria-label": `Seleccionar el expediente ${number}` });
}

/** Run ``send`` for every selected case, one after the other; list what happened to each. */
export async function forEachSelected(numbers: number[], out: HTMLElement,
  send: (n: number) => Promise<Result<unknown>>, done: (n: number, data: unknown) => Node | string): Promise<void> {
  if (!numbers.length) { statusText(out, "Seleccione al menos un expediente."); return; }
  statusText(out, `Procesando ${numbers.length} expediente(s)…`);
  const items: HTMLElement[] = [];
  for (const n of numbers) {
    try {
      const { data, errors } = await send(n);
      items.push(h("li", { "data-case": n }, `N.º ${n}: `, errors.length || data == null
        ? h("span", { class: "refused" }, errors.map((e) => `${e.extensions?.code ?? "ERROR"} — ${e.message}`).join("; "))
        : done(n, data)));
    } catch (e) {
      items.push(h("li", { "data-case": n }, `N.º ${n}: `, h("span", { class: "refused" }, asErrors(e).map((x) => x.message).join("; "))));
    }
  }
  out.className = "status";
  fill(out, h("ul", { class: "plain" }, items));
}

/** The case list's bulk status change (registrars and supervisors). */
export function bulkStatusForm(reload: () => void): HTMLElement | null {
  if (!mayRun("ChangeStatus")) return null;
  const to = h("select", {}, Object.entries(STATUS_ES).map(([k, v]) => h("option", { value: k }, v)));
  const reason = h("input", { maxlength: 500 });
  const out = h("div", { id: "bulk-out", hidden: true, "aria-live": "polite" });
  return h("form", { id: "bulk-form", class: "inline-form bulk", "aria-label": "Acción sobre los seleccionados", novalidate: true,
    onsubmit: async (ev: Event) => {
      ev.preventDefault();
      if (!reason.value.trim()) { statusText(out, "Indique el motivo del cambio."); return; }
      await forEachSelected(selected($("#cases")), out,
        (n) => run("ChangeStatus", { n, to: to.value as CaseStatus, reason: reason.value.trim() }),
        () => `ahora ${STATUS_ES[to.value as CaseStatus]}.`);
      reload();
    } },
  ...field("bulk-to", "Nuevo estado de los seleccionados", to), ...field("bulk-reason", "Motivo", reason),
  h("button", { type: "submit", class: "secondary" }, "Aplicar a los seleccionados"), out);
}

// Saved filters of the case list (in this browser, per role) and the list as a spreadsheet.
import { $, h } from "../dom";
import { state } from "../session";

type Saved = { name: string; values: Record<string, string> };
const FIELDS = ["office", "status", "need", "nationality", "from", "to"];
const key = (): string => `qhub.filters.${state.session?.role ?? "?"}`;
const read = (): Saved[] => { try { return JSON.parse(localStorage.getItem(key()) ?? "[]") as Saved[]; } catch { return []; } };

export function renderSaved(apply: () => void): void {
  const list = $("#saved-filters");
  const saved = read();
  list.replaceChildren(...saved.map((s, i) => h("li", {},
    h("button", { type: "button", class: "small secondary", onclick: () => {
      const form = $<HTMLFormElement>("#filters");
      for (const f of FIELDS) (form.elements.namedItem(f) as HTMLInputElement).value = s.values[f] ?? "";
      apply();
    } }, s.name),
    h("button", { type: "button", class: "small secondary", "aria-label": `Borrar el filtro ${s.name}`, onclick: () => {
      localStorage.setItem(key(), JSON.stringify(saved.filter((_, j) => j !== i)));
      renderSaved(apply);
    } }, "×"))));
}

export function saveCurrent(apply: () => void): void {
  const name = $<HTMLInputElement>("#filter-name").value.trim();
  const out = $("#saved-out");
  if (!name) { out.hidden = false; out.textContent = "Ponga un nombre al filtro."; return; }
  const form = new FormData($<HTMLFormElement>("#filters"));
  const values = Object.fromEntries(FIELDS.map((f) => [f, String(form.get(f) ?? "")]));
  localStorage.setItem(key(), JSON.stringify([...read().filter((s) => s.name !== name), { name, values }]));
  $<HTMLInputElement>("#filter-name").value = "";
  out.hidden = false; out.textContent = `Filtro «${name}» guardado.`;
  renderSaved(apply);
}

const cell = (text: string): string => {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text; // no formulas in a spreadsheet
  return `"${safe.replaceAll('"', '""')}"`;
};

/** The rows shown, as a CSV file a spreadsheet opens (UTF-8 with BOM). */
export function downloadList(): void {
  const rows = [...document.querySelectorAll<HTMLTableRowElement>("#cases tr")]
    .map((tr) => [...tr.cells].map((c) => cell(c.innerText.trim())).join(","));
  const blob = new Blob(["\ufeff" + rows.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
  const a = h("a", { href: URL.createObjectURL(blob), download: "expedientes.csv" });
  document.body.append(a);
  a.click();
  a.remove();
}

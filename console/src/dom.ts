// DOM helpers and Spanish formats (dates and times in America/Lima).
import { CODE_ES } from "./labels";

export type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | null | undefined | ((ev: Event) => unknown)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (typeof v === "function") el.addEventListener(k.slice(2), v as EventListener);
    else if (k === "class") el.className = String(v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function $<T extends HTMLElement = HTMLElement>(selector: string, root: ParentNode = document): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`missing ${selector}`);
  return el;
}

const TZ = "America/Lima";
const dateFmt = new Intl.DateTimeFormat("es-PE", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const dateTimeFmt = new Intl.DateTimeFormat("es-PE", { dateStyle: "medium", timeStyle: "short", timeZone: TZ });
const timeFmt = new Intl.DateTimeFormat("es-PE", { timeStyle: "short", timeZone: TZ });
const dayKeyFmt = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone: TZ });
const regionNames = (() => { try { return new Intl.DisplayNames(["es-PE"], { type: "region" }); } catch { return null; } })();

/** A calendar date (YYYY-MM-DD, no time zone) in Spanish. */
export const fmtDate = (d: string | null | undefined): string => {
  if (!d) return "—";
  const t = Date.parse(d.length === 10 ? `${d}T00:00:00Z` : d);
  return Number.isNaN(t) ? d : dateFmt.format(new Date(t));
};
/** An instant, in Lima. */
export const fmtDateTime = (d: string | null | undefined): string => {
  if (!d) return "—";
  const t = Date.parse(d);
  return Number.isNaN(t) ? d : dateTimeFmt.format(new Date(t));
};
export const fmtTime = (d: string): string => timeFmt.format(new Date(Date.parse(d)));
/** The Lima calendar day of an instant, as YYYY-MM-DD. */
export const limaDay = (d: Date | string): string => dayKeyFmt.format(typeof d === "string" ? new Date(Date.parse(d)) : d);
export const daysSince = (date: string): number => {
  const today = Date.parse(`${limaDay(new Date())}T00:00:00Z`);
  return Math.max(0, Math.round((today - Date.parse(`${date.slice(0, 10)}T00:00:00Z`)) / 86_400_000));
};
export const fmtCountry = (c: string | null | undefined): string => {
  if (!c) return "—";
  let n: string | undefined;
  try { n = regionNames?.of(c); } catch { n = undefined; }
  return n && n !== c ? `${n} (${c})` : c;
};
export const fmtScore = (s: number | string | null | undefined): string =>
  s == null ? "—" : Number(s).toLocaleString("es-PE", { maximumFractionDigits: 1 });
export const plural = (n: number, one: string, many: string): string => `${n.toLocaleString("es-PE")} ${n === 1 ? one : many}`;

export interface ShownError { message: string; extensions?: { code?: string; problems?: { path?: string[]; message?: string; code?: string }[]; [k: string]: unknown } | null }

// graphql-core's own validation messages are English: they get a Spanish sentence first.
const looksEnglish = (m: string | undefined): boolean =>
  Boolean(m) && !/[áéíóúñ¿¡]/i.test(m!) && /\b(the|is|not|of|must|Cannot|Invalid|Unknown|Variable|Expected|got)\b/.test(m!);

/** Every error, in Spanish, with its code; never hidden. */
export function showErrors(box: HTMLElement, errors: readonly ShownError[]): void {
  box.className = "error";
  box.setAttribute("role", "alert");
  if (!errors.length) { box.hidden = true; box.replaceChildren(); return; }
  box.hidden = false;
  box.replaceChildren(...errors.map((e) => {
    const code = e.extensions?.code || "ERROR";
    const spanish = looksEnglish(e.message) ? `${CODE_ES[code] ?? "Error del hub."} (${e.message})` : e.message || CODE_ES[code] || "Error.";
    const p = h("p", {}, h("code", {}, code), ` — ${spanish}`);
    const problems = e.extensions?.problems;
    if (Array.isArray(problems) && problems.length) {
      p.append(h("ul", {}, problems.map((pr) => h("li", {}, `${(pr.path || []).join(".")}: ${pr.message || pr.code}`))));
    }
    return p;
  }));
}

export function statusText(box: HTMLElement, text: string): void {
  box.className = "status";
  box.hidden = false;
  box.textContent = text;
}

export function table(caption: string, headers: string[], rows: Child[][], attrs: (i: number) => Attrs = () => ({})): HTMLElement {
  return h("div", { class: "table-wrap", tabindex: 0, role: "region", "aria-label": `Tabla: ${caption}` }, h("table", {},
    h("caption", { class: "sr" }, caption),
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, rows.map((r, i) => h("tr", attrs(i), r.map((v, j) => (j === 0 ? h("th", { scope: "row" }, v) : h("td", {}, v))))))));
}

export function kv(pairs: [string, Child][]): HTMLElement {
  return h("dl", { class: "kv" }, pairs.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v ?? "—")]));
}

export function card(title: string, id: string, ...content: Child[]): HTMLElement {
  return h("section", { class: "card", "aria-labelledby": id }, h("h3", { id }, title), ...content);
}

export function field(id: string, label: string, control: HTMLElement): HTMLElement[] {
  control.id = id;
  return [h("label", { for: id }, label), control];
}

/** Replace an element's children (nulls skipped). */
export function fill(el: HTMLElement, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

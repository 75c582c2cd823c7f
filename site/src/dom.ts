// Small DOM helpers: build elements, show field errors next to their inputs.

export type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | boolean | number | EventListener | undefined>;

/** An element with attributes (``on*`` are listeners) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
}

/** Replace the page's main content; the title and the focus move with it. */
export function show(title: string, ...children: Child[]): HTMLElement {
  const main = document.getElementById("contenido") as HTMLElement;
  main.replaceChildren();
  const heading = h("h1", { tabindex: "-1" }, title);
  append(main, [heading, ...children]);
  document.title = `${title} — Comisión Especial para los Refugiados`;
  heading.focus();
  return main;
}

export interface FieldOptions {
  type?: string;
  required?: boolean;
  autocomplete?: string;
  hint?: string;
  value?: string;
  inputmode?: string;
  max?: string;
}

/** A labelled input whose id is the API's field path joined with dots
 *  (``input.applicant.birthDate``), with a place for its error under it. */
export function field(id: string, label: string, options: FieldOptions = {}): HTMLElement {
  const hint = options.hint ? h("p", { class: "ayuda", id: `${id}-ayuda` }, options.hint) : null;
  const input = h("input", {
    id,
    name: id,
    type: options.type ?? "text",
    required: options.required,
    autocomplete: options.autocomplete,
    inputmode: options.inputmode,
    value: options.value,
    max: options.max,
    "aria-describedby": [hint ? `${id}-ayuda` : "", `${id}-error`].filter(Boolean).join(" "),
  });
  return h(
    "div",
    { class: "campo" },
    h("label", { for: id }, label, options.required ? "" : h("span", { class: "opcional" }, " (opcional)")),
    hint,
    input,
    h("p", { class: "error", id: `${id}-error`, hidden: true }),
  );
}

/** A labelled select of (value, text) options. */
export function choice(
  id: string,
  label: string,
  options: ReadonlyArray<readonly [string, string]>,
  required = true,
): HTMLElement {
  const select = h(
    "select",
    { id, name: id, required, "aria-describedby": `${id}-error` },
    ...(required ? [] : [h("option", { value: "" }, "— Sin indicar —")]),
    ...options.map(([value, text]) => h("option", { value }, text)),
  );
  return h(
    "div",
    { class: "campo" },
    h("label", { for: id }, label, required ? "" : h("span", { class: "opcional" }, " (opcional)")),
    select,
    h("p", { class: "error", id: `${id}-error`, hidden: true }),
  );
}

export function value(form: ParentNode, id: string): string {
  const el = form.querySelector<HTMLInputElement | HTMLSelectElement>(`[id="${id}"]`);
  return el ? el.value.trim() : "";
}

/** Clear every field error of ``form``. */
export function clearErrors(form: ParentNode): void {
  form.querySelectorAll<HTMLElement>(".error").forEach((p) => {
    p.hidden = true;
    p.textContent = "";
  });
  form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
}

/** Show each problem under its field; returns the problems that have no field here. */
export function showErrors(
  form: ParentNode,
  problems: ReadonlyArray<{ path: ReadonlyArray<string | number>; message: string }>,
): string[] {
  const orphans: string[] = [];
  let first: HTMLElement | null = null;
  for (const problem of problems) {
    const id = problem.path.join(".");
    const input = form.querySelector<HTMLElement>(`[id="${id}"]`);
    const slot = form.querySelector<HTMLElement>(`[id="${id}-error"]`);
    if (!input || !slot) {
      orphans.push(problem.message);
      continue;
    }
    input.setAttribute("aria-invalid", "true");
    slot.textContent = problem.message;
    slot.hidden = false;
    first = first ?? input;
  }
  first?.focus();
  return orphans;
}

/** A status message region (announced by screen readers). */
export function notice(kind: "ok" | "error" | "info", ...children: Child[]): HTMLElement {
  return h("div", { class: `aviso aviso-${kind}`, role: kind === "error" ? "alert" : "status" }, ...children);
}

/** Offer ``base64`` as a file download. */
export function download(base64: string, filename: string, type = "application/pdf"): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const link = h("a", { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

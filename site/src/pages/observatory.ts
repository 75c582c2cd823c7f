import { ApiError, run } from "../api";
import { h, notice, show } from "../dom";
import type { StatDimension, StatisticsQuery, StatisticsReleaseQuery } from "../generated/types";
import { dateEs, dateTimeEs } from "../labels";

type Table = StatisticsQuery["statistics"];
type Release = StatisticsReleaseQuery["statisticsRelease"];
/** Spanish names the release publishes, by dimension and code. */
let published = new Map<string, string>();
const TOTAL = "TOTAL";
const SVG = "http://www.w3.org/2000/svg";

const TOPICS: ReadonlyArray<readonly [StatDimension, string]> = [
  ["SEX", "Por sexo"],
  ["AGE_GROUP", "Por grupo de edad"],
  ["EDUCATION_LEVEL", "Por nivel educativo"],
  ["NATIONALITY", "Por nacionalidad"],
  ["DEPARTMENT", "Por departamento de residencia"],
  ["PERIOD", "Por año de la solicitud"],
];
const VALUES: Record<string, string> = {
  F: "Mujeres",
  M: "Hombres",
  X: "Otro",
  O: "Otro",
  none: "Sin estudios",
  primary: "Primaria",
  secondary: "Secundaria",
  technical: "Técnica",
  university: "Universitaria",
  postgraduate: "Posgrado",
  unknown: "Sin dato",
  "SIN DATO": "Sin dato",
  pre_registered: "Prerregistro",
  appointment_scheduled: "Con cita",
  registered: "Registrada",
  under_review: "En evaluación",
  recognised: "Reconocida",
  rejected: "Denegada",
  appeal: "En apelación",
  rejected_final: "Denegada (definitiva)",
  withdrawn: "Retirada",
  closed: "Cerrada",
  abandoned: "Abandonada",
  TOTAL: "Total",
};
const COUNTRIES = new Intl.DisplayNames(["es"], { type: "region" });

function label(dimension: string, value: string): string {
  const named = published.get(`${dimension}|${value}`);
  if (named) return named;
  if (dimension === "nationality" && /^[A-Z]{2}$/.test(value)) return COUNTRIES.of(value) ?? value;
  if (dimension === "age_group") return value === TOTAL ? "Total" : `${value} años`;
  return VALUES[value] ?? value;
}

function number(n: number): string {
  return new Intl.NumberFormat("es-PE").format(n);
}

/** One horizontal bar per value of the dimension (its total over every status). */
function chart(dimension: string, titleId: string, rows: string[], totals: Map<string, number | null>): SVGSVGElement {
  const max = Math.max(1, ...rows.map((r) => totals.get(r) ?? 0));
  const bar = 34;
  const width = 190; // the bars' room: the viewBox is 400 wide, the labels take 150
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 400 ${rows.length * bar + 10}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-labelledby", titleId);
  svg.setAttribute("class", "grafico");
  rows.forEach((row, i) => {
    const y = i * bar + 5;
    const count = totals.get(row);
    const text = document.createElementNS(SVG, "text");
    text.setAttribute("x", "0");
    text.setAttribute("y", String(y + 23));
    const name = label(dimension, row);
    text.textContent = name.length > 15 ? `${name.slice(0, 14)}…` : name; // the table has it whole
    svg.append(text);
    const rect = document.createElementNS(SVG, "rect");
    rect.setAttribute("x", "150");
    rect.setAttribute("y", String(y + 6));
    rect.setAttribute("height", String(bar - 12));
    rect.setAttribute("width", String(count == null ? 6 : Math.max(2, (count / max) * width)));
    rect.setAttribute("class", count == null ? "oculto" : "barra");
    svg.append(rect);
    const value = document.createElementNS(SVG, "text");
    value.setAttribute("x", String(count == null ? 160 : 155 + Math.max(2, (count / max) * width)));
    value.setAttribute("y", String(y + 23));
    value.textContent = count == null ? "oculto*" : number(count);
    svg.append(value);
  });
  return svg;
}

function section(table: Table, title: string, index: number): HTMLElement {
  // the API may list the two dimensions in either order: rows are the topic, columns the status
  const col = table.dimensions.indexOf("status") === 0 ? 0 : 1;
  const row = 1 - col;
  const rowDim = table.dimensions[row];
  const colDim = table.dimensions[col];
  const key = (r: string, c: string): string => (row === 0 ? `${r}|${c}` : `${c}|${r}`);
  const cells = new Map(table.cells.map((c) => [c.values.join("|"), c]));
  const rowValues = [...new Set(table.cells.map((c) => c.values[row]).filter((v) => v !== TOTAL))];
  const colValues = [...new Set(table.cells.map((c) => c.values[col]).filter((v) => v !== TOTAL))].filter(
    (c) => cells.get(row === 0 ? `${TOTAL}|${c}` : `${c}|${TOTAL}`)?.count !== 0,
  );
  const totals = new Map(rowValues.map((r) => [r, cells.get(key(r, TOTAL))?.count ?? null]));
  // a group with nobody in it (a published zero) is left out of the chart and the table
  const occupied = rowValues.filter((r) => totals.get(r) !== 0);
  const sorted = rowDim === "nationality" || rowDim === "department"
    ? [...occupied].sort((a, b) => (totals.get(b) ?? -1) - (totals.get(a) ?? -1))
    : [...occupied].sort();
  const shown = sorted.slice(0, 12);
  const titleId = `t-grafico-${index}`;
  const show = (at: string): string => {
    const cell = cells.get(at);
    if (!cell) return "0";
    return cell.suppressed || cell.count == null ? "oculto*" : number(cell.count);
  };
  const csv = `/statistics.csv?dims=${table.dimensions.join(",")}`;
  return h(
    "section",
    { class: "estadistica", "aria-labelledby": `t-seccion-${index}` },
    h("h2", { id: `t-seccion-${index}` }, title),
    h("p", { id: titleId, class: "detalle" }, `Personas ${title.toLowerCase()}${sorted.length > shown.length ? ` (las ${shown.length} con más personas; la tabla tiene todas)` : ""}.`),
    ...(table.margin95 == null
      ? []
      : [h("p", { class: "detalle" }, `Precisión de esta tabla: cada cifra puede tener hasta ${number(table.margin95)} personas de más o de menos (con 95 % de probabilidad), por el ruido que protege a las personas contadas.`)]),
    chart(rowDim, titleId, shown, totals),
    h(
      "div",
      { class: "tabla-desplazable", tabindex: "0", role: "region", "aria-label": `Tabla: ${title}` },
      h(
        "table",
        {},
        h("caption", {}, `${title}, según el estado de la solicitud`),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, title.replace(/^Por /, "").replace(/^./, (c) => c.toUpperCase())), ...colValues.map((c) => h("th", { scope: "col" }, label(colDim, c))), h("th", { scope: "col" }, "Total"))),
        h(
          "tbody",
          {},
          ...[...sorted, TOTAL].map((r) =>
            h("tr", {}, h("th", { scope: "row" }, label(rowDim, r)), ...[...colValues, TOTAL].map((c) => h("td", {}, show(key(r, c))))),
          ),
        ),
      ),
    ),
    h("p", {}, h("a", { href: csv, download: true }, `Descargar esta tabla (CSV)`)),
  );
}

/** How this release protects the people counted: noise (differential privacy) or hidden cells. */
function method(release: Release): HTMLElement {
  const details = h("details", {}, h("summary", {}, "Cómo se protegen las cifras (método)"), h("p", {}, release.methodExplanationEs));
  const privacy = release.privacy;
  if (privacy) {
    return h(
      "section",
      { class: "aviso aviso-info", "aria-labelledby": "t-ruido" },
      h("h2", { id: "t-ruido" }, "Cifras aproximadas, para que nadie pueda ser identificado"),
      h(
        "p",
        {},
        "Todas las cifras llevan un pequeño ruido aleatorio y luego se ajustan para que las sumas cuadren. " +
          "Así nadie puede averiguar si una persona concreta está contada, ni comparando esta edición con otra. " +
          "Las cifras grandes son fiables; las pequeñas, aproximadas: cada tabla dice su precisión.",
      ),
      h(
        "p",
        {},
        `Presupuesto de privacidad publicado: ρ = ${privacy.rho} por edición y como máximo ρ = ${privacy.rhoYear} por año ` +
          `(ε = ${privacy.epsilon} y ${privacy.epsilonYear} con δ = ${privacy.delta}); este año van gastados ρ = ${privacy.rhoSpentYear}.`,
      ),
      details,
    );
  }
  return h(
    "section",
    { class: "aviso aviso-info", "aria-labelledby": "t-ocultos" },
    h("h2", { id: "t-ocultos" }, "* Por qué algunas cifras están ocultas"),
    h(
      "p",
      {},
      `Para que nadie pueda ser identificado, no publicamos grupos de menos de ${release.threshold} personas, ` +
        "y ocultamos también algunas cifras más grandes cuando, combinándolas con los totales, se podría averiguar una cifra pequeña.",
    ),
    details,
  );
}

export async function observatoryPage(): Promise<void> {
  let tables: Table[];
  let release: Release;
  try {
    release = (await run("StatisticsRelease", {})).statisticsRelease;
    tables = await Promise.all(TOPICS.map(([dimension]) => run("Statistics", { dimensions: [dimension, "STATUS"] }).then((r) => r.statistics)));
  } catch (error) {
    show("Observatorio de refugio", notice("error", error instanceof ApiError ? error.message : "No se pudieron cargar las estadísticas."));
    return;
  }
  published = new Map(release.dimensions.flatMap((d) => d.values.map((v) => [`${d.dimension}|${v.code}`, v.labelEs] as [string, string])));
  show(
    "Observatorio de refugio",
    h("p", { class: "entrada" }, "Cifras de personas solicitantes de refugio y refugiadas en el Perú, para municipios, prensa e investigación. Cada gráfico tiene debajo la tabla con sus números."),
    h(
      "p",
      { class: "fecha-datos" },
      `Datos al ${dateEs(release.referenceDate)} (edición N.° ${release.version}, publicada el ${dateTimeEs(release.publishedAt)}, hora de Lima).`,
    ),
    method(release),
    ...tables.map((table, i) => section(table, TOPICS[i][1], i)),
  );
}

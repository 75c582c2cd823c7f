// The search box of every page: case number, identity document or name.
import { asErrors, run } from "../api";
import { $, fmtCountry, fmtDate, h, showErrors, statusText, table } from "../dom";
import { STATUS_ES } from "../labels";

const RESULTS = 20;

/** Search; a single hit opens its case page, several are listed. */
export async function loadSearch(text: string): Promise<void> {
  const body = $("#results-body");
  const status = $("#results-status");
  const errorsBox = $("#results-errors");
  $("#results-title").textContent = `Resultados para «${text}»`;
  body.replaceChildren();
  errorsBox.hidden = true;
  statusText(status, "Buscando…");
  try {
    const { data, errors } = await run("SearchCases", { text, first: RESULTS });
    showErrors(errorsBox, errors);
    const found = data?.searchCases ?? [];
    if (found.length === 1 && !errors.length) {
      location.replace(`#/expediente/${found[0].number}`);
      return;
    }
    statusText(status, found.length ? `${found.length} expediente${found.length === 1 ? "" : "s"}${found.length === RESULTS ? " (los más parecidos)" : ""}.`
      : errors.length ? "" : "Ningún expediente suyo coincide con la búsqueda.");
    performance.mark("qhub:results");
    if (found.length) {
      body.replaceChildren(table("Expedientes encontrados", ["Expediente", "Solicitante principal", "Nacionalidad", "Estado", "Solicitud", "Oficina"],
        found.map((c) => [h("a", { href: `#/expediente/${c.number}` }, `N.º ${c.number}`), c.principal?.fullName ?? "—",
          fmtCountry(c.principal?.nationality), c.status ? STATUS_ES[c.status] : "—", fmtDate(c.filingDate), c.office?.code ?? "—"]),
        (i) => ({ "data-case": found[i].number })));
    }
  } catch (e) {
    statusText(status, "");
    showErrors(errorsBox, asErrors(e));
  }
}

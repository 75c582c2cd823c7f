// The access log: who read or changed whose data, most recent first (100 at a time).
import { asErrors, run } from "../api";
import { $, fill, fmtDateTime, h, showErrors, statusText, table } from "../dom";
import { ROLE_ES } from "../labels";

const PAGE = 100;
const log = { before: null as string | null, rows: [] as { id: string; cells: (string | HTMLElement)[] }[] };

export async function loadAccessLog(reset: boolean): Promise<void> {
  const body = $("#accesslog-body");
  const status = $("#accesslog-status");
  if (reset) { log.before = null; log.rows = []; }
  statusText(status, "Cargando el registro de accesos…");
  try {
    const { data, errors } = await run("AccessLog", { first: PAGE, beforeId: log.before, agency: null });
    showErrors($("#accesslog-errors"), errors);
    const lines = data?.accessLog ?? [];
    log.rows.push(...lines.map((l) => ({ id: l.id, cells: [fmtDateTime(l.at), l.agency, ROLE_ES[l.role] ?? l.role, l.subject,
      l.purpose ?? "—", l.operation ?? "—", l.action, l.categories.join(", "), l.personIds.length ? l.personIds.join(", ") : "—"] })));
    log.before = lines.length ? lines[lines.length - 1].id : log.before;
    fill(body, log.rows.length ? table("Registro de accesos", ["Fecha", "Entidad", "Rol", "Usuario", "Finalidad", "Operación", "Acción", "Categorías", "Personas"],
      log.rows.map((r) => r.cells)) : null,
    lines.length === PAGE ? h("button", { type: "button", class: "secondary", id: "accesslog-more", onclick: () => void loadAccessLog(false) }, "Cargar más") : null);
    statusText(status, log.rows.length ? `${log.rows.length} accesos mostrados.` : "No hay accesos registrados.");
  } catch (e) {
    statusText(status, "");
    showErrors($("#accesslog-errors"), asErrors(e));
  }
}

import { ApiError, run } from "../api";
import { h, notice, show } from "../dom";
import { AGENCY, CATEGORY, READ_PURPOSE, dateTimeEs, spanish } from "../labels";

export async function whoReadPage(): Promise<void> {
  let reads;
  try {
    reads = (await run("WhoRead", {})).whoReadMyData;
  } catch (error) {
    show("Quién consultó mis datos", notice("error", error instanceof ApiError ? error.message : "No se pudo cargar."));
    return;
  }
  const intro = h(
    "p",
    {},
    "Cada vez que otra entidad —o el personal de la Comisión que estudia su solicitud— consulta sus datos, queda registrado con la fecha, la entidad y la finalidad. Este registro no se puede alterar.",
  );
  if (!reads.length) {
    show("Quién consultó mis datos", intro, notice("info", "Nadie ha consultado sus datos todavía."));
    return;
  }
  show(
    "Quién consultó mis datos",
    intro,
    h(
      "ul",
      { class: "lecturas" },
      ...reads.map((r) =>
        h(
          "li",
          {},
          h("p", { class: "entidad" }, spanish(AGENCY, r.agency)),
          h("p", {}, h("span", { class: "etiqueta" }, "Cuándo: "), dateTimeEs(r.at)),
          h("p", {}, h("span", { class: "etiqueta" }, "Para qué: "), spanish(READ_PURPOSE, r.purpose)),
          h("p", {}, h("span", { class: "etiqueta" }, "Qué datos: "), (r.categories ?? []).map((c) => spanish(CATEGORY, c)).join(", ") || "—"),
        ),
      ),
    ),
  );
}

import { clearErrors, field, h, show, showErrors, value } from "../dom";

/** The token of whatever was typed: a full verification URL or the code alone. */
export function tokenOf(text: string): string {
  const trimmed = text.trim();
  const at = trimmed.lastIndexOf("/v/");
  return (at >= 0 ? trimmed.slice(at + 3) : trimmed).replace(/\.pdf$/, "");
}

export function verifyPage(): void {
  const form = h(
    "form",
    { novalidate: true },
    field("codigo", "Código o dirección del documento", {
      required: true,
      hint: "Escanee el código QR del carné o de la autorización con la cámara del teléfono: se abrirá la constancia. Si no puede escanearlo, escriba aquí la dirección que aparece bajo el código.",
    }),
    h("button", { type: "submit" }, "Verificar"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearErrors(form);
    const token = tokenOf(value(form, "codigo"));
    if (!/^[A-Za-z0-9._-]+$/.test(token)) {
      showErrors(form, [{ path: ["codigo"], message: "Escriba el código o la dirección tal como aparece en el documento." }]);
      return;
    }
    location.assign(`/v/${token}`);
  });
  show("Verificar un documento", h("p", {}, "Cualquier persona puede comprobar si un carné o una autorización de trabajo de la Comisión es válido."), form);
}

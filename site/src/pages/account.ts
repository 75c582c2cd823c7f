import { ApiError, account, login } from "../api";
import { clearErrors, field, h, notice, show, showErrors, value } from "../dom";
import { go } from "../nav";

const PASSWORD_HINT = "Al menos 10 caracteres, con letras y al menos un número o símbolo. No use su usuario.";

function param(name: string): string {
  return new URLSearchParams(location.search).get(name) ?? "";
}

/** Send ``form``'s values; show field problems under their fields, the rest in ``box``. */
async function submitting(form: HTMLFormElement, box: HTMLElement, action: () => Promise<void>): Promise<void> {
  clearErrors(form);
  box.replaceChildren();
  const button = form.querySelector("button[type=submit]") as HTMLButtonElement;
  button.disabled = true;
  try {
    await action();
  } catch (error) {
    const problem = error instanceof ApiError ? error : new ApiError("Ocurrió un error inesperado.", "ERROR");
    const orphans = showErrors(form, problem.problems);
    if (!problem.problems.length || orphans.length) box.replaceChildren(notice("error", problem.message, ...orphans.map((o) => h("p", {}, o))));
  } finally {
    button.disabled = false;
  }
}

function passwordsMatch(form: HTMLFormElement): void {
  if (value(form, "password") !== value(form, "password2")) {
    throw new ApiError("Las contraseñas no coinciden.", "VALIDATION_FAILED", [
      { path: ["password2"], code: "MISMATCH", message: "Escriba la misma contraseña dos veces." },
    ]);
  }
}

export function activationPage(): void {
  const box = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    { novalidate: true },
    field("login", "Usuario", { required: true, autocomplete: "username", value: param("usuario"), hint: "Su correo electrónico, o el usuario que le dimos en el prerregistro." }),
    field("code", "Código de activación", { required: true, autocomplete: "one-time-code" }),
    field("password", "Nueva contraseña", { type: "password", required: true, autocomplete: "new-password", hint: PASSWORD_HINT }),
    field("password2", "Repita la contraseña", { type: "password", required: true, autocomplete: "new-password" }),
    box,
    h("button", { type: "submit" }, "Activar mi cuenta"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void submitting(form, box, async () => {
      passwordsMatch(form);
      const message = await account("activate", { login: value(form, "login"), code: value(form, "code"), password: value(form, "password") });
      show("Cuenta activada", notice("ok", message), h("p", {}, h("a", { href: "/ingresar", class: "boton" }, "Ingresar")));
    });
  });
  show("Activar mi cuenta", h("p", {}, "Use el código que recibió al terminar el prerregistro. Vence a los 30 días."), form);
}

export function loginPage(): void {
  const box = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    { novalidate: true },
    field("username", "Usuario", { required: true, autocomplete: "username" }),
    field("pass", "Contraseña", { type: "password", required: true, autocomplete: "current-password" }),
    box,
    h("button", { type: "submit" }, "Ingresar"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void submitting(form, box, async () => {
      await login(value(form, "username"), value(form, "pass"));
      const back = param("volver");
      go(back.startsWith("/") && !back.startsWith("//") ? back : "/mi-caso");
    });
  });
  show(
    "Ingresar a mi caso",
    form,
    h(
      "ul",
      { class: "secundarios" },
      h("li", {}, h("a", { href: "/activar" }, "Aún no activé mi cuenta")),
      h("li", {}, h("a", { href: "/recuperar" }, "Olvidé mi contraseña")),
    ),
  );
}

export function resetPage(): void {
  const box = h("div", { "aria-live": "polite" });
  const ask = h(
    "form",
    { novalidate: true },
    field("login", "Usuario", { required: true, autocomplete: "username" }),
    h("button", { type: "submit" }, "Enviarme un código"),
  );
  const change = h(
    "form",
    { novalidate: true, hidden: true },
    field("code", "Código recibido", { required: true, autocomplete: "one-time-code", hint: "Ocho letras y números, por ejemplo K7PM-3QXD." }),
    field("password", "Nueva contraseña", { type: "password", required: true, autocomplete: "new-password", hint: PASSWORD_HINT }),
    field("password2", "Repita la contraseña", { type: "password", required: true, autocomplete: "new-password" }),
    h("button", { type: "submit" }, "Cambiar la contraseña"),
  );
  ask.addEventListener("submit", (event) => {
    event.preventDefault();
    void submitting(ask, box, async () => {
      const message = await account("reset-request", { login: value(ask, "login") });
      box.replaceChildren(notice("info", message));
      change.hidden = false;
      (change.querySelector("input") as HTMLInputElement).focus();
    });
  });
  change.addEventListener("submit", (event) => {
    event.preventDefault();
    void submitting(change, box, async () => {
      passwordsMatch(change);
      const message = await account("reset", { login: value(ask, "login"), code: value(change, "code"), password: value(change, "password") });
      show("Contraseña cambiada", notice("ok", message), h("p", {}, h("a", { href: "/ingresar", class: "boton" }, "Ingresar")));
    });
  });
  show("Cambiar mi contraseña", h("p", {}, "Le enviaremos un código a su correo electrónico o a su teléfono registrado."), ask, box, change);
}

import { h, show } from "../dom";

function card(href: string, title: string, text: string): HTMLElement {
  return h("li", { class: "tarjeta" }, h("a", { href }, h("strong", {}, title), h("span", {}, text)));
}

export function homePage(): void {
  show(
    "Solicitud de refugio en el Perú",
    h(
      "p",
      { class: "entrada" },
      "La Comisión Especial para los Refugiados (CEPR) recibe y decide las solicitudes de refugio. " +
        "Aquí puede hacer su prerregistro las 24 horas, seguir su caso y verificar documentos. Es gratuito.",
    ),
    h(
      "ul",
      { class: "tarjetas" },
      card("/prerregistro", "Iniciar un prerregistro", "Para pedir refugio: sus datos y los de su familia, en unos 10 minutos."),
      card("/ingresar", "Ingresar a mi caso", "Vea el estado de su solicitud, sus citas, su autorización de trabajo y su carné."),
      card("/verificar", "Verificar un documento", "¿Le mostraron un carné o una autorización de trabajo? Compruebe si es válido."),
    ),
    h(
      "ul",
      { class: "secundarios" },
      h("li", {}, h("a", { href: "/activar" }, "Activar mi cuenta con el código del prerregistro")),
      h("li", {}, h("a", { href: "/recuperar" }, "Olvidé mi contraseña")),
      h("li", {}, h("a", { href: "/observatorio" }, "Observatorio: estadísticas públicas de solicitantes y refugiados")),
    ),
  );
}

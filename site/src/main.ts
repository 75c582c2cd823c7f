// The applicants' and public's site: one page per path, rendered in #contenido.
import { logout, personId } from "./api";
import { h } from "./dom";
import { go, onNavigate } from "./nav";
import { activationPage, loginPage, resetPage } from "./pages/account";
import { homePage } from "./pages/home";
import { myCasePage } from "./pages/mycase";
import { observatoryPage } from "./pages/observatory";
import { preRegistrationPage } from "./pages/preregister";
import { verifyPage } from "./pages/verify";
import { whoReadPage } from "./pages/whoread";

type Page = () => void | Promise<void>;

const PAGES: Record<string, Page> = {
  "/": homePage,
  "/prerregistro": preRegistrationPage,
  "/activar": activationPage,
  "/ingresar": loginPage,
  "/recuperar": resetPage,
  "/mi-caso": myCasePage,
  "/mis-datos": whoReadPage,
  "/observatorio": observatoryPage,
  "/verificar": verifyPage,
};
const PRIVATE = new Set(["/mi-caso", "/mis-datos"]);


function navigation(): void {
  const nav = document.getElementById("menu") as HTMLElement;
  const logged = personId() !== null;
  const links: Array<[string, string]> = [
    ["/", "Inicio"],
    ["/prerregistro", "Prerregistro"],
    logged ? ["/mi-caso", "Mi caso"] : ["/ingresar", "Ingresar"],
    ["/observatorio", "Estadísticas"],
    ["/verificar", "Verificar documento"],
  ];
  const here = location.pathname;
  nav.replaceChildren(
    h(
      "ul",
      {},
      ...links.map(([href, text]) => h("li", {}, h("a", { href, "aria-current": href === here ? "page" : undefined }, text))),
      logged
        ? h("li", {}, h("button", { type: "button", class: "enlace", onclick: () => { logout(); go("/"); } }, "Salir"))
        : null,
    ),
  );
}

async function render(): Promise<void> {
  const path = location.pathname.replace(/\/$/, "") || "/";
  if (PRIVATE.has(path) && personId() === null) {
    history.replaceState(null, "", `/ingresar?volver=${encodeURIComponent(path)}`);
    return render();
  }
  navigation();
  const page = PAGES[path] ?? homePage;
  await page();
}

document.addEventListener("click", (event) => {
  const link = (event.target as Element).closest("a");
  if (!link || link.target || link.hasAttribute("download") || event.ctrlKey || event.metaKey) return;
  const url = new URL(link.href, location.href);
  if (url.origin === location.origin && url.pathname in PAGES) {
    event.preventDefault();
    go(url.pathname + url.search);
  }
});
onNavigate(render);
window.addEventListener("popstate", () => void render());
void render();

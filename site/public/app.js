// Built by site/tools/build.mjs from site/src: do not edit.

// src/generated/operations.ts
var OPERATIONS = {
  Offices: { role: "public", text: "query Offices {\n  offices {\n    code\n    name\n    kind\n    department\n  }\n}" },
  OpenSlots: { role: "public", text: "query OpenSlots($officeCode: String!, $purpose: AppointmentPurpose) {\n  appointmentSlots(officeCode: $officeCode, purpose: $purpose) {\n    id\n    officeCode\n    startsAt\n    minutes\n    mode\n    purpose\n    capacity\n    booked\n  }\n}" },
  PreRegister: { role: "public", text: "mutation PreRegister($input: PreRegistrationInput!) {\n  preRegister(input: $input) {\n    caseNumber\n    replayed\n    activationLogin\n    activationCode\n    instructions\n  }\n}" },
  Statistics: { role: "public", text: "query Statistics($dimensions: [StatDimension!]!) {\n  statistics(dimensions: $dimensions) {\n    dimensions\n    threshold\n    csvUrl\n    margin95\n    cells {\n      values\n      count\n      suppressed\n      reason\n    }\n  }\n}" },
  StatisticsRelease: { role: "public", text: "query StatisticsRelease {\n  statisticsRelease {\n    version\n    referenceDate\n    publishedAt\n    threshold\n    protectionInterval\n    method\n    privacy {\n      rho\n      rhoYear\n      rhoSpentYear\n      delta\n      epsilon\n      epsilonYear\n      noiseSd\n    }\n    methodExplanationEs\n    dimensions {\n      dimension\n      labelEs\n      values {\n        code\n        labelEs\n      }\n    }\n  }\n}" },
  Book: { role: "applicant", text: "mutation Book($caseNumber: Int!, $slotId: Int!) {\n  bookAppointment(caseNumber: $caseNumber, slotId: $slotId) {\n    appointmentId\n    startsAt\n    mode\n    videoLink\n  }\n}" },
  Cancel: { role: "applicant", text: "mutation Cancel($appointmentId: Int!) {\n  cancelAppointment(appointmentId: $appointmentId)\n}" },
  MyCardPdf: { role: "applicant", text: "query MyCardPdf {\n  myAsylumCard {\n    number\n    pdfBase64\n  }\n}" },
  MyCase: { role: "applicant", text: "query MyCase($personId: ID!) {\n  person(id: $personId) {\n    fullName\n    phone\n    email\n    address {\n      department\n      province\n      district\n      street\n    }\n    cases {\n      relationship\n      case {\n        number\n        filingDate\n        status\n        protectedFromRemoval\n        members {\n          relationship\n        }\n        appointments {\n          id\n          officeCode\n          startsAt\n          mode\n          purpose\n          status\n          videoLink\n        }\n      }\n    }\n  }\n  myWorkPermit {\n    id\n    validFrom\n    validTo\n    status\n  }\n  myAsylumCard {\n    number\n    issuedOn\n    status\n  }\n}" },
  MyPermitPdf: { role: "applicant", text: "query MyPermitPdf {\n  myWorkPermit {\n    id\n    pdfBase64\n  }\n}" },
  Renew: { role: "applicant", text: "mutation Renew {\n  renewMyWorkPermit {\n    id\n    validFrom\n    validTo\n    pdfBase64\n  }\n}" },
  Reschedule: { role: "applicant", text: "mutation Reschedule($appointmentId: Int!, $slotId: Int!) {\n  rescheduleAppointment(appointmentId: $appointmentId, slotId: $slotId) {\n    appointmentId\n    startsAt\n    mode\n    videoLink\n  }\n}" },
  Slots: { role: "applicant", text: "query Slots($officeCode: String!, $purpose: AppointmentPurpose) {\n  offices {\n    code\n    name\n  }\n  appointmentSlots(officeCode: $officeCode, purpose: $purpose) {\n    id\n    officeCode\n    startsAt\n    minutes\n    mode\n    purpose\n    capacity\n    booked\n  }\n}" },
  UpdateContact: { role: "applicant", text: "mutation UpdateContact($input: MyContactInput!) {\n  updateMyContact(input: $input) {\n    phone\n    email\n    department\n    province\n    district\n    street\n  }\n}" },
  WhoRead: { role: "applicant", text: "query WhoRead {\n  whoReadMyData(first: 200) {\n    at\n    agency\n    purpose\n    categories\n  }\n}" }
};

// src/api.ts
var ApiError = class extends Error {
  constructor(message, code, problems = []) {
    super(message);
    this.code = code;
    this.problems = problems;
  }
};
var TOKEN = "qhub-sitio-token";
function token() {
  return sessionStorage.getItem(TOKEN);
}
function logout() {
  sessionStorage.removeItem(TOKEN);
}
function personId() {
  const jwt = token();
  if (!jwt) return null;
  try {
    const part = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(atob(part));
    if (claims.exp && claims.exp * 1e3 < Date.now()) return null;
    return claims.person_id !== void 0 ? String(claims.person_id) : null;
  } catch {
    return null;
  }
}
var UNAVAILABLE = "No pudimos comunicarnos con la Comisi\xF3n. Revise su conexi\xF3n e int\xE9ntelo de nuevo.";
async function run(name, variables) {
  const operation = OPERATIONS[name];
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  const jwt = token();
  if (operation.role === "applicant") {
    if (!jwt) throw new ApiError("Su sesi\xF3n termin\xF3: ingrese de nuevo.", "UNAUTHENTICATED");
    headers.Authorization = `Bearer ${jwt}`;
  }
  let response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers,
      body: JSON.stringify({ query: operation.text, variables, operationName: name })
    });
  } catch {
    throw new ApiError(UNAVAILABLE, "NETWORK");
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(UNAVAILABLE, "BAD_RESPONSE");
  }
  if (response.status === 401) {
    logout();
    throw new ApiError("Su sesi\xF3n termin\xF3: ingrese de nuevo.", "UNAUTHENTICATED");
  }
  if (body.errors?.length) {
    const problems = body.errors.flatMap((e) => e.extensions?.problems ?? []);
    const first = body.errors[0];
    throw new ApiError(first.message, first.extensions?.code ?? "ERROR", problems);
  }
  return body.data;
}
async function login(username, password) {
  const form = new URLSearchParams({ grant_type: "password", client_id: "qhub-self-service", username, password });
  let response;
  try {
    response = await fetch("/oauth/token", { method: "POST", body: form });
  } catch {
    throw new ApiError(UNAVAILABLE, "NETWORK");
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.access_token) {
    const message = response.status === 429 ? body.error_description ?? "Demasiados intentos: espere unos minutos." : "El usuario o la contrase\xF1a no son correctos, o la cuenta a\xFAn no est\xE1 activada.";
    throw new ApiError(message, body.error ?? "INVALID_CREDENTIALS");
  }
  sessionStorage.setItem(TOKEN, body.access_token);
}
async function account(path, fields) {
  let response;
  try {
    response = await fetch(`/account/${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(fields)
    });
  } catch {
    throw new ApiError(UNAVAILABLE, "NETWORK");
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.ok) {
    throw new ApiError(body.message ?? UNAVAILABLE, body.error ?? "ERROR", body.problems ?? []);
  }
  return body.message ?? "";
}

// src/dom.ts
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value2] of Object.entries(attrs)) {
    if (value2 === void 0 || value2 === false) continue;
    if (typeof value2 === "function") el.addEventListener(key.slice(2), value2);
    else el.setAttribute(key, value2 === true ? "" : String(value2));
  }
  append(el, children);
  return el;
}
function append(el, children) {
  for (const child of children) {
    if (child === null || child === void 0 || child === false) continue;
    el.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
}
function show(title, ...children) {
  const main = document.getElementById("contenido");
  main.replaceChildren();
  const heading = h("h1", { tabindex: "-1" }, title);
  append(main, [heading, ...children]);
  document.title = `${title} \u2014 Comisi\xF3n Especial para los Refugiados`;
  heading.focus();
  return main;
}
function field(id, label2, options = {}) {
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
    "aria-describedby": [hint ? `${id}-ayuda` : "", `${id}-error`].filter(Boolean).join(" ")
  });
  return h(
    "div",
    { class: "campo" },
    h("label", { for: id }, label2, options.required ? "" : h("span", { class: "opcional" }, " (opcional)")),
    hint,
    input,
    h("p", { class: "error", id: `${id}-error`, hidden: true })
  );
}
function choice(id, label2, options, required = true) {
  const select = h(
    "select",
    { id, name: id, required, "aria-describedby": `${id}-error` },
    ...required ? [] : [h("option", { value: "" }, "\u2014 Sin indicar \u2014")],
    ...options.map(([value2, text]) => h("option", { value: value2 }, text))
  );
  return h(
    "div",
    { class: "campo" },
    h("label", { for: id }, label2, required ? "" : h("span", { class: "opcional" }, " (opcional)")),
    select,
    h("p", { class: "error", id: `${id}-error`, hidden: true })
  );
}
function value(form, id) {
  const el = form.querySelector(`[id="${id}"]`);
  return el ? el.value.trim() : "";
}
function clearErrors(form) {
  form.querySelectorAll(".error").forEach((p) => {
    p.hidden = true;
    p.textContent = "";
  });
  form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
}
function showErrors(form, problems) {
  const orphans = [];
  let first = null;
  for (const problem of problems) {
    const id = problem.path.join(".");
    const input = form.querySelector(`[id="${id}"]`);
    const slot = form.querySelector(`[id="${id}-error"]`);
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
function notice(kind, ...children) {
  return h("div", { class: `aviso aviso-${kind}`, role: kind === "error" ? "alert" : "status" }, ...children);
}
function download(base64, filename, type = "application/pdf") {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const link = h("a", { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1e4);
}

// src/nav.ts
var renderer = async () => void 0;
function onNavigate(render2) {
  renderer = render2;
}
function go(path) {
  history.pushState(null, "", path);
  void renderer();
}

// src/pages/account.ts
var PASSWORD_HINT = "Al menos 10 caracteres, con letras y al menos un n\xFAmero o s\xEDmbolo. No use su usuario.";
function param(name) {
  return new URLSearchParams(location.search).get(name) ?? "";
}
async function submitting(form, box, action) {
  clearErrors(form);
  box.replaceChildren();
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    await action();
  } catch (error) {
    const problem = error instanceof ApiError ? error : new ApiError("Ocurri\xF3 un error inesperado.", "ERROR");
    const orphans = showErrors(form, problem.problems);
    if (!problem.problems.length || orphans.length) box.replaceChildren(notice("error", problem.message, ...orphans.map((o) => h("p", {}, o))));
  } finally {
    button.disabled = false;
  }
}
function passwordsMatch(form) {
  if (value(form, "password") !== value(form, "password2")) {
    throw new ApiError("Las contrase\xF1as no coinciden.", "VALIDATION_FAILED", [
      { path: ["password2"], code: "MISMATCH", message: "Escriba la misma contrase\xF1a dos veces." }
    ]);
  }
}
function activationPage() {
  const box = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    { novalidate: true },
    field("login", "Usuario", { required: true, autocomplete: "username", value: param("usuario"), hint: "Su correo electr\xF3nico, o el usuario que le dimos en el prerregistro." }),
    field("code", "C\xF3digo de activaci\xF3n", { required: true, autocomplete: "one-time-code" }),
    field("password", "Nueva contrase\xF1a", { type: "password", required: true, autocomplete: "new-password", hint: PASSWORD_HINT }),
    field("password2", "Repita la contrase\xF1a", { type: "password", required: true, autocomplete: "new-password" }),
    box,
    h("button", { type: "submit" }, "Activar mi cuenta")
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void submitting(form, box, async () => {
      passwordsMatch(form);
      const message = await account("activate", { login: value(form, "login"), code: value(form, "code"), password: value(form, "password") });
      show("Cuenta activada", notice("ok", message), h("p", {}, h("a", { href: "/ingresar", class: "boton" }, "Ingresar")));
    });
  });
  show("Activar mi cuenta", h("p", {}, "Use el c\xF3digo que recibi\xF3 al terminar el prerregistro. Vence a los 30 d\xEDas."), form);
}
function loginPage() {
  const box = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    { novalidate: true },
    field("username", "Usuario", { required: true, autocomplete: "username" }),
    field("pass", "Contrase\xF1a", { type: "password", required: true, autocomplete: "current-password" }),
    box,
    h("button", { type: "submit" }, "Ingresar")
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
      h("li", {}, h("a", { href: "/activar" }, "A\xFAn no activ\xE9 mi cuenta")),
      h("li", {}, h("a", { href: "/recuperar" }, "Olvid\xE9 mi contrase\xF1a"))
    )
  );
}
function resetPage() {
  const box = h("div", { "aria-live": "polite" });
  const ask = h(
    "form",
    { novalidate: true },
    field("login", "Usuario", { required: true, autocomplete: "username" }),
    h("button", { type: "submit" }, "Enviarme un c\xF3digo")
  );
  const change = h(
    "form",
    { novalidate: true, hidden: true },
    field("code", "C\xF3digo recibido", { required: true, autocomplete: "one-time-code", hint: "Ocho letras y n\xFAmeros, por ejemplo K7PM-3QXD." }),
    field("password", "Nueva contrase\xF1a", { type: "password", required: true, autocomplete: "new-password", hint: PASSWORD_HINT }),
    field("password2", "Repita la contrase\xF1a", { type: "password", required: true, autocomplete: "new-password" }),
    h("button", { type: "submit" }, "Cambiar la contrase\xF1a")
  );
  ask.addEventListener("submit", (event) => {
    event.preventDefault();
    void submitting(ask, box, async () => {
      const message = await account("reset-request", { login: value(ask, "login") });
      box.replaceChildren(notice("info", message));
      change.hidden = false;
      change.querySelector("input").focus();
    });
  });
  change.addEventListener("submit", (event) => {
    event.preventDefault();
    void submitting(change, box, async () => {
      passwordsMatch(change);
      const message = await account("reset", { login: value(ask, "login"), code: value(change, "code"), password: value(change, "password") });
      show("Contrase\xF1a cambiada", notice("ok", message), h("p", {}, h("a", { href: "/ingresar", class: "boton" }, "Ingresar")));
    });
  });
  show("Cambiar mi contrase\xF1a", h("p", {}, "Le enviaremos un c\xF3digo a su correo electr\xF3nico o a su tel\xE9fono registrado."), ask, box, change);
}

// src/pages/home.ts
function card(href, title, text) {
  return h("li", { class: "tarjeta" }, h("a", { href }, h("strong", {}, title), h("span", {}, text)));
}
function homePage() {
  show(
    "Solicitud de refugio en el Per\xFA",
    h(
      "p",
      { class: "entrada" },
      "La Comisi\xF3n Especial para los Refugiados (CEPR) recibe y decide las solicitudes de refugio. Aqu\xED puede hacer su prerregistro las 24 horas, seguir su caso y verificar documentos. Es gratuito."
    ),
    h(
      "ul",
      { class: "tarjetas" },
      card("/prerregistro", "Iniciar un prerregistro", "Para pedir refugio: sus datos y los de su familia, en unos 10 minutos."),
      card("/ingresar", "Ingresar a mi caso", "Vea el estado de su solicitud, sus citas, su autorizaci\xF3n de trabajo y su carn\xE9."),
      card("/verificar", "Verificar un documento", "\xBFLe mostraron un carn\xE9 o una autorizaci\xF3n de trabajo? Compruebe si es v\xE1lido.")
    ),
    h(
      "ul",
      { class: "secundarios" },
      h("li", {}, h("a", { href: "/activar" }, "Activar mi cuenta con el c\xF3digo del prerregistro")),
      h("li", {}, h("a", { href: "/recuperar" }, "Olvid\xE9 mi contrase\xF1a")),
      h("li", {}, h("a", { href: "/observatorio" }, "Observatorio: estad\xEDsticas p\xFAblicas de solicitantes y refugiados"))
    )
  );
}

// src/labels.ts
var STATUS = {
  PRE_REGISTERED: {
    title: "Prerregistro recibido",
    now: "Recibimos sus datos. Su solicitud todav\xEDa no est\xE1 registrada.",
    next: "Reserve una cita para la entrevista de registro (presencial o por videollamada)."
  },
  APPOINTMENT_SCHEDULED: {
    title: "Cita reservada",
    now: "Tiene una cita para la entrevista de registro.",
    next: "Pres\xE9ntese (o con\xE9ctese) a la hora de su cita con su documento de identidad, si lo tiene."
  },
  REGISTERED: {
    title: "Solicitud registrada",
    now: "Su solicitud de refugio est\xE1 registrada y en tr\xE1mite. Est\xE1 protegido/a frente a la expulsi\xF3n.",
    next: "La Comisi\xF3n asignar\xE1 su caso a un oficial de elegibilidad. Puede pedir su autorizaci\xF3n de trabajo."
  },
  UNDER_REVIEW: {
    title: "En evaluaci\xF3n",
    now: "Un oficial de elegibilidad est\xE1 estudiando su solicitud. Sigue protegido/a frente a la expulsi\xF3n.",
    next: "Si hace falta una entrevista, la Comisi\xF3n le citar\xE1. Mantenga vigente su autorizaci\xF3n de trabajo."
  },
  RECOGNISED: {
    title: "Refugiado/a reconocido/a",
    now: "La Comisi\xF3n reconoci\xF3 su condici\xF3n de refugiado/a.",
    next: "Tramite su carn\xE9 de extranjer\xEDa ante Migraciones con la resoluci\xF3n de la Comisi\xF3n."
  },
  REJECTED: {
    title: "Solicitud denegada",
    now: "La Comisi\xF3n deneg\xF3 su solicitud. Mientras pueda apelar, sigue protegido/a frente a la expulsi\xF3n.",
    next: "Puede presentar una apelaci\xF3n dentro del plazo que indica la resoluci\xF3n."
  },
  APPEAL: {
    title: "Apelaci\xF3n en tr\xE1mite",
    now: "Su apelaci\xF3n est\xE1 en tr\xE1mite. Sigue protegido/a frente a la expulsi\xF3n.",
    next: "Espere la decisi\xF3n sobre la apelaci\xF3n; le avisaremos."
  },
  REJECTED_FINAL: {
    title: "Denegada en forma definitiva",
    now: "La decisi\xF3n es definitiva.",
    next: "Consulte en una oficina de la Comisi\xF3n o con ACNUR qu\xE9 opciones tiene."
  },
  WITHDRAWN: {
    title: "Solicitud retirada",
    now: "Usted retir\xF3 su solicitud.",
    next: "Si necesita protecci\xF3n de nuevo, puede presentar una nueva solicitud."
  },
  CLOSED: {
    title: "Expediente cerrado",
    now: "El expediente est\xE1 cerrado.",
    next: "Consulte en una oficina de la Comisi\xF3n si cree que es un error."
  },
  ABANDONED: {
    title: "Archivado por abandono",
    now: "El expediente se archiv\xF3 porque no hubo respuesta a las citaciones.",
    next: "Ac\xE9rquese a una oficina de la Comisi\xF3n para reabrir su caso."
  }
};
var MODE = {
  IN_PERSON: "Presencial, en la oficina",
  REMOTE: "Remota, por videollamada"
};
var PURPOSE = {
  REGISTRATION_INTERVIEW: "Entrevista de registro",
  BIOMETRIC_ENROLMENT: "Toma de huellas y fotograf\xEDa",
  CARD_PICKUP: "Recojo del carn\xE9",
  ELIGIBILITY_INTERVIEW: "Entrevista de elegibilidad"
};
var APPOINTMENT_STATUS = {
  BOOKED: "Reservada",
  CANCELLED: "Cancelada",
  ATTENDED: "Asisti\xF3",
  MISSED: "No asisti\xF3"
};
var RELATIONSHIP = {
  PRINCIPAL: "Titular",
  SPOUSE: "C\xF3nyuge o pareja",
  CHILD: "Hija o hijo",
  PARENT: "Madre o padre",
  SIBLING: "Hermana o hermano",
  OTHER: "Otro familiar"
};
var PERMIT_STATUS = {
  active: "Vigente",
  replaced: "Reemplazada por una m\xE1s reciente",
  revoked: "Revocada"
};
var AGENCY = {
  cepr: "Comisi\xF3n Especial para los Refugiados (personal de la Comisi\xF3n)",
  migraciones: "Superintendencia Nacional de Migraciones",
  minsa: "Ministerio de Salud",
  acnur: "ACNUR, la Agencia de la ONU para los Refugiados",
  applicant: "Usted mismo/a",
  public: "Consulta p\xFAblica"
};
var READ_PURPOSE = {
  "case-management": "Tramitar su solicitud de refugio",
  "deportation-protection": "Comprobar que est\xE1 protegido/a frente a la expulsi\xF3n",
  "health-workforce": "Incorporar profesionales de la salud (solo con su consentimiento)",
  "protection-assistance": "Brindarle asistencia y protecci\xF3n"
};
var CATEGORY = {
  identity: "identidad",
  "identity.search": "b\xFAsqueda de identidad",
  contact: "datos de contacto",
  status: "estado de la solicitud",
  "status.work_permit": "si tiene autorizaci\xF3n de trabajo",
  "status.detailed": "estado detallado",
  claim: "motivos de la solicitud",
  "claim.decision_letter": "resoluci\xF3n",
  needs: "necesidades espec\xEDficas",
  biometrics: "datos biom\xE9tricos",
  "biometrics.match": "resultado de cotejo biom\xE9trico",
  family: "familia",
  "family.protection": "protecci\xF3n de familiares",
  profession: "profesi\xF3n y estudios",
  case_admin: "tr\xE1mite (oficina, citas)",
  "case_admin.appointments": "citas",
  audit: "registro de accesos"
};
function spanish(map, code) {
  if (!code) return "\u2014";
  return map[code] ?? code;
}
var LIMA = "America/Lima";
function dateEs(iso) {
  if (!iso) return "\u2014";
  const [y, m, d] = iso.slice(0, 10).split("-");
  return `${d}/${m}/${y}`;
}
function dateTimeEs(iso) {
  if (!iso) return "\u2014";
  return new Intl.DateTimeFormat("es-PE", { dateStyle: "full", timeStyle: "short", timeZone: LIMA }).format(new Date(iso));
}

// src/pages/mycase.ts
function failure(error) {
  return error instanceof ApiError ? error.message : "Ocurri\xF3 un error inesperado.";
}
async function myCasePage() {
  const id = personId();
  if (id === null) return;
  let data;
  try {
    data = await run("MyCase", { personId: id });
  } catch (error) {
    show("Mi caso", notice("error", failure(error)));
    return;
  }
  const person2 = data.person;
  const own = (person2?.cases ?? []).find((m) => m.relationship === "PRINCIPAL")?.case ?? person2?.cases?.[0]?.case;
  if (!person2 || !own || own.number === null || own.status === null) {
    show("Mi caso", notice("info", "No encontramos una solicitud a su nombre. Si cree que es un error, ac\xE9rquese a una oficina."));
    return;
  }
  const status = STATUS[own.status];
  const flash = h("div", { "aria-live": "polite", id: "aviso-caso" });
  show(
    "Mi caso",
    flash,
    h(
      "section",
      { class: "estado-caso", "aria-labelledby": "t-estado" },
      h("h2", { id: "t-estado" }, `Expediente N.\xB0 ${own.number}`),
      h("p", { class: "estado", "data-estado": own.status }, status.title),
      h("p", {}, status.now),
      h("p", {}, h("strong", {}, "Qu\xE9 sigue: "), status.next),
      h("p", { class: "detalle" }, `Solicitud presentada el ${dateEs(own.filingDate)}.`),
      own.members && own.members.length > 1 ? h("p", { class: "detalle" }, "En este expediente tambi\xE9n: ", own.members.filter((m) => m.relationship !== "PRINCIPAL").map((m) => spanish(RELATIONSHIP, m.relationship).toLowerCase()).join(", "), ".") : null
    ),
    appointmentsSection(own.number, own.appointments ?? [], flash),
    permitSection(data.myWorkPermit, own.status, flash),
    cardSection(data.myAsylumCard, flash),
    contactSection(person2, flash),
    h("p", {}, h("a", { href: "/mis-datos" }, "Ver qui\xE9n consult\xF3 mis datos"))
  );
}
function appointmentsSection(caseNumber, appointments, flash) {
  const booked = appointments.filter((a) => a.status === "BOOKED");
  const list = h(
    "ul",
    { class: "citas" },
    ...booked.map(
      (a) => h(
        "li",
        { "data-cita": a.id ?? "" },
        h("p", { class: "entidad" }, `${spanish(PURPOSE, a.purpose)} \u2014 ${dateTimeEs(a.startsAt)}`),
        h("p", {}, a.mode ? MODE[a.mode] : "", a.mode === "IN_PERSON" ? ` (oficina ${a.officeCode ?? ""})` : ""),
        a.videoLink ? h("p", {}, "Enlace de la videollamada: ", h("a", { href: a.videoLink, rel: "noopener" }, a.videoLink)) : null,
        h(
          "div",
          { class: "acciones" },
          h("button", { type: "button", class: "secundario", onclick: () => slotPicker(caseNumber, flash, a) }, "Cambiar de horario"),
          h("button", { type: "button", class: "secundario", onclick: () => cancel(a, flash) }, "Cancelar la cita")
        )
      )
    )
  );
  const past = appointments.filter((a) => a.status !== "BOOKED");
  return h(
    "section",
    { "aria-labelledby": "t-citas" },
    h("h2", { id: "t-citas" }, "Mis citas"),
    booked.length ? list : h("p", {}, "No tiene citas reservadas."),
    past.length ? h("p", { class: "detalle" }, `Citas anteriores: ${past.map((a) => `${dateEs(a.startsAt)} (${spanish(APPOINTMENT_STATUS, a.status)})`).join("; ")}.`) : null,
    h("button", { type: "button", onclick: () => slotPicker(caseNumber, flash) }, "Reservar una cita"),
    h("div", { id: "reserva" })
  );
}
async function slotPicker(caseNumber, flash, moving) {
  const area = document.getElementById("reserva");
  const purpose = moving?.purpose ?? "REGISTRATION_INTERVIEW";
  const office = moving?.officeCode ?? "LIM";
  const list = h("div", { id: "horarios" });
  let offices = [];
  async function load(officeCode, wanted) {
    list.replaceChildren(h("p", {}, "Cargando horarios\u2026"));
    let result;
    try {
      result = await run("Slots", { officeCode, purpose: wanted });
    } catch (error) {
      list.replaceChildren(notice("error", failure(error)));
      return;
    }
    if (!offices.length) {
      offices = result.offices.map((o) => [o.code, o.name]);
      const select = form.querySelector("#oficina");
      select.replaceChildren(...offices.map(([code, name]) => h("option", { value: code, selected: code === officeCode }, name)));
    }
    const open = result.appointmentSlots.filter((s) => s.booked < s.capacity);
    list.replaceChildren(
      open.length ? h("fieldset", {}, h("legend", {}, "Horarios disponibles"), ...open.map((s) => slotOption(s))) : h("p", {}, "No hay horarios libres en esta oficina para este tr\xE1mite. Pruebe otra oficina o vuelva ma\xF1ana.")
    );
  }
  const form = h(
    "form",
    { class: "reserva" },
    h("h3", {}, moving ? "Elegir otro horario" : "Reservar una cita"),
    choice("oficina", "Oficina", [[office, office]]),
    choice("tramite", "Tr\xE1mite", Object.entries(PURPOSE).filter(([p]) => !moving || p === purpose)),
    list,
    h("button", { type: "submit" }, moving ? "Confirmar el cambio" : "Confirmar la reserva")
  );
  form.querySelector("#tramite").value = purpose;
  form.addEventListener("change", (event) => {
    const target = event.target;
    if (target.id === "oficina" || target.id === "tramite") {
      void load(form.querySelector("#oficina").value, form.querySelector("#tramite").value);
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = form.querySelector("input[name=horario]:checked");
    if (!chosen) {
      flash.replaceChildren(notice("error", "Elija un horario."));
      return;
    }
    try {
      const slotId = Number(chosen.value);
      const done = moving ? (await run("Reschedule", { appointmentId: Number(moving.id), slotId })).rescheduleAppointment : (await run("Book", { caseNumber, slotId })).bookAppointment;
      await myCasePage();
      const link = done.videoLink ? ` Enlace de la videollamada: ${done.videoLink}` : "";
      document.getElementById("aviso-caso").replaceChildren(
        notice("ok", `Cita ${moving ? "cambiada" : "reservada"}: ${dateTimeEs(done.startsAt)}, ${done.mode ? MODE[done.mode].toLowerCase() : ""}.${link}`)
      );
    } catch (error) {
      flash.replaceChildren(notice("error", failure(error)));
    }
  });
  area.replaceChildren(form);
  await load(office, purpose);
  form.querySelector("#oficina").focus();
}
function slotOption(slot) {
  const id = `horario-${slot.id}`;
  return h(
    "div",
    { class: "opcion" },
    h("input", { type: "radio", name: "horario", id, value: String(slot.id) }),
    h("label", { for: id }, `${dateTimeEs(slot.startsAt)} \u2014 ${MODE[slot.mode]} (${slot.capacity - slot.booked} cupos)`)
  );
}
async function cancel(appointment, flash) {
  const sure = h(
    "div",
    { class: "confirmar", role: "alertdialog", "aria-labelledby": "t-cancelar" },
    h("p", { id: "t-cancelar" }, `\xBFCancelar la cita del ${dateTimeEs(appointment.startsAt)}? Su cupo quedar\xE1 libre para otra persona.`),
    h(
      "button",
      {
        type: "button",
        onclick: async () => {
          try {
            await run("Cancel", { appointmentId: Number(appointment.id) });
            await myCasePage();
            document.getElementById("aviso-caso").replaceChildren(notice("ok", "La cita fue cancelada."));
          } catch (error) {
            flash.replaceChildren(notice("error", failure(error)));
          }
        }
      },
      "S\xED, cancelar la cita"
    ),
    h("button", { type: "button", class: "secundario", onclick: () => sure.remove() }, "No, mantenerla")
  );
  flash.replaceChildren(sure);
  sure.querySelector("button").focus();
}
function permitSection(permit, status, flash) {
  const pending = ["REGISTERED", "UNDER_REVIEW", "APPEAL", "REJECTED", "PRE_REGISTERED", "APPOINTMENT_SCHEDULED"].includes(status);
  const box = h("div", { id: "renovacion" });
  const renew = () => {
    box.replaceChildren(
      h(
        "div",
        { class: "confirmar", role: "region", "aria-labelledby": "t-renovar" },
        h("h3", { id: "t-renovar" }, "Antes de renovar"),
        h(
          "ul",
          {},
          h("li", {}, "Se emitir\xE1 una autorizaci\xF3n nueva, firmada digitalmente, v\xE1lida por un a\xF1o."),
          permit ? h("li", { class: "importante" }, `Su autorizaci\xF3n actual${permit.validTo ? ` (vigente hasta el ${dateEs(permit.validTo)})` : ""} quedar\xE1 REEMPLAZADA en ese momento: quien escanee su c\xF3digo QR ver\xE1 \xABNO V\xC1LIDO: reemplazado\xBB.`) : null,
          h("li", {}, "Si entreg\xF3 una copia a su empleador, entr\xE9guele la nueva para que pueda comprobarla.")
        ),
        h("div", { class: "campo" }, h("input", { type: "checkbox", id: "entiendo" }), h("label", { for: "entiendo" }, " Entiendo que la autorizaci\xF3n anterior dejar\xE1 de ser v\xE1lida.")),
        h(
          "button",
          {
            type: "button",
            onclick: async () => {
              if (!document.getElementById("entiendo").checked) {
                flash.replaceChildren(notice("error", "Marque la casilla para confirmar que entiende lo que pasa con la autorizaci\xF3n anterior."));
                return;
              }
              try {
                const issued = (await run("Renew", {})).renewMyWorkPermit;
                if (issued?.pdfBase64) download(issued.pdfBase64, "autorizacion-de-trabajo.pdf");
                await myCasePage();
                document.getElementById("aviso-caso").replaceChildren(
                  notice("ok", `Autorizaci\xF3n renovada: v\xE1lida desde el ${dateEs(issued?.validFrom)} hasta el ${dateEs(issued?.validTo)}. La anterior qued\xF3 reemplazada.`)
                );
              } catch (error) {
                flash.replaceChildren(notice("error", failure(error)));
              }
            }
          },
          "Confirmar la renovaci\xF3n"
        ),
        h("button", { type: "button", class: "secundario", onclick: () => box.replaceChildren() }, "No renovar")
      )
    );
    document.getElementById("entiendo").focus();
  };
  return h(
    "section",
    { "aria-labelledby": "t-permiso" },
    h("h2", { id: "t-permiso" }, "Mi autorizaci\xF3n de trabajo"),
    permit ? h(
      "div",
      {},
      h("p", { "data-permiso": permit.status ?? "" }, `${spanish(PERMIT_STATUS, permit.status)}: desde el ${dateEs(permit.validFrom)} hasta el ${dateEs(permit.validTo)}.`),
      h(
        "button",
        {
          type: "button",
          onclick: async () => {
            try {
              const held = (await run("MyPermitPdf", {})).myWorkPermit;
              if (held?.pdfBase64) download(held.pdfBase64, "autorizacion-de-trabajo.pdf");
            } catch (error) {
              flash.replaceChildren(notice("error", failure(error)));
            }
          }
        },
        "Descargar mi autorizaci\xF3n (PDF)"
      )
    ) : h("p", {}, pending ? "Todav\xEDa no tiene una autorizaci\xF3n de trabajo." : "Su expediente ya no permite una autorizaci\xF3n de trabajo de solicitante."),
    pending ? h("button", { type: "button", class: "secundario", onclick: renew }, permit ? "Renovar en l\xEDnea" : "Pedir mi autorizaci\xF3n en l\xEDnea") : null,
    box
  );
}
function cardSection(card2, flash) {
  return h(
    "section",
    { "aria-labelledby": "t-carne" },
    h("h2", { id: "t-carne" }, "Mi carn\xE9 de solicitante"),
    card2 ? h(
      "div",
      {},
      h("p", { "data-carne": card2.status ?? "" }, `Carn\xE9 N.\xB0 ${card2.number ?? "\u2014"}, emitido el ${dateEs(card2.issuedOn)}: ${spanish(PERMIT_STATUS, card2.status).toLowerCase()}. No tiene fecha de vencimiento.`),
      h(
        "button",
        {
          type: "button",
          onclick: async () => {
            try {
              const held = (await run("MyCardPdf", {})).myAsylumCard;
              if (held?.pdfBase64) download(held.pdfBase64, `carne-${held.number ?? ""}.pdf`);
            } catch (error) {
              flash.replaceChildren(notice("error", failure(error)));
            }
          }
        },
        "Descargar mi carn\xE9 (PDF)"
      ),
      h("p", { class: "detalle" }, "Puede imprimirlo en cualquier oficina. Su validez se comprueba con el c\xF3digo QR.")
    ) : h("p", {}, "La Comisi\xF3n emite su carn\xE9 despu\xE9s del registro (entrevista y toma de huellas y fotograf\xEDa).")
  );
}
function contactSection(person2, flash) {
  const address = person2.address;
  const form = h(
    "form",
    { novalidate: true, hidden: true, id: "correccion" },
    field("input.phone", "Tel\xE9fono celular", { type: "tel", autocomplete: "tel", inputmode: "tel", value: person2.phone ?? "" }),
    field("input.email", "Correo electr\xF3nico", { type: "email", autocomplete: "email", value: person2.email ?? "" }),
    field("input.department", "Departamento", { value: address?.department ?? "" }),
    field("input.province", "Provincia", { value: address?.province ?? "" }),
    field("input.district", "Distrito", { value: address?.district ?? "" }),
    field("input.street", "Direcci\xF3n", { autocomplete: "street-address", value: address?.street ?? "" }),
    h("button", { type: "submit" }, "Guardar la correcci\xF3n")
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const given = (key) => value(form, `input.${key}`) || null;
    const input = {
      phone: given("phone"),
      email: given("email"),
      department: given("department"),
      province: given("province"),
      district: given("district"),
      street: given("street")
    };
    try {
      await run("UpdateContact", { input });
      await myCasePage();
      document.getElementById("aviso-caso").replaceChildren(notice("ok", "Sus datos de contacto fueron corregidos."));
    } catch (error) {
      const problem = error instanceof ApiError ? error : new ApiError("Ocurri\xF3 un error inesperado.", "ERROR");
      const orphans = showErrors(form, problem.problems);
      if (!problem.problems.length || orphans.length) flash.replaceChildren(notice("error", problem.message, ...orphans.map((o) => h("p", {}, o))));
    }
  });
  return h(
    "section",
    { "aria-labelledby": "t-contacto" },
    h("h2", { id: "t-contacto" }, "Mis datos de contacto"),
    h(
      "dl",
      { class: "datos" },
      h("dt", {}, "Tel\xE9fono"),
      h("dd", {}, person2.phone ?? "\u2014"),
      h("dt", {}, "Correo electr\xF3nico"),
      h("dd", {}, person2.email ?? "\u2014"),
      h("dt", {}, "Domicilio"),
      h("dd", {}, [address?.street, address?.district, address?.province, address?.department].filter(Boolean).join(", ") || "\u2014")
    ),
    h(
      "button",
      {
        type: "button",
        class: "secundario",
        onclick: () => {
          form.hidden = false;
          form.querySelector("input").focus();
        }
      },
      "Corregir mis datos de contacto"
    ),
    form
  );
}

// src/pages/observatory.ts
var published = /* @__PURE__ */ new Map();
var TOTAL = "TOTAL";
var SVG = "http://www.w3.org/2000/svg";
var TOPICS = [
  ["SEX", "Por sexo"],
  ["AGE_GROUP", "Por grupo de edad"],
  ["EDUCATION_LEVEL", "Por nivel educativo"],
  ["NATIONALITY", "Por nacionalidad"],
  ["DEPARTMENT", "Por departamento de residencia"],
  ["PERIOD", "Por a\xF1o de la solicitud"]
];
var VALUES = {
  F: "Mujeres",
  M: "Hombres",
  X: "Otro",
  O: "Otro",
  none: "Sin estudios",
  primary: "Primaria",
  secondary: "Secundaria",
  technical: "T\xE9cnica",
  university: "Universitaria",
  postgraduate: "Posgrado",
  unknown: "Sin dato",
  "SIN DATO": "Sin dato",
  pre_registered: "Prerregistro",
  appointment_scheduled: "Con cita",
  registered: "Registrada",
  under_review: "En evaluaci\xF3n",
  recognised: "Reconocida",
  rejected: "Denegada",
  appeal: "En apelaci\xF3n",
  rejected_final: "Denegada (definitiva)",
  withdrawn: "Retirada",
  closed: "Cerrada",
  abandoned: "Abandonada",
  TOTAL: "Total"
};
var COUNTRIES = new Intl.DisplayNames(["es"], { type: "region" });
function label(dimension, value2) {
  const named = published.get(`${dimension}|${value2}`);
  if (named) return named;
  if (dimension === "nationality" && /^[A-Z]{2}$/.test(value2)) return COUNTRIES.of(value2) ?? value2;
  if (dimension === "age_group") return value2 === TOTAL ? "Total" : `${value2} a\xF1os`;
  return VALUES[value2] ?? value2;
}
function number(n) {
  return new Intl.NumberFormat("es-PE").format(n);
}
function chart(dimension, titleId, rows, totals) {
  const max = Math.max(1, ...rows.map((r) => totals.get(r) ?? 0));
  const bar = 34;
  const width = 190;
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
    text.textContent = name.length > 15 ? `${name.slice(0, 14)}\u2026` : name;
    svg.append(text);
    const rect = document.createElementNS(SVG, "rect");
    rect.setAttribute("x", "150");
    rect.setAttribute("y", String(y + 6));
    rect.setAttribute("height", String(bar - 12));
    rect.setAttribute("width", String(count == null ? 6 : Math.max(2, count / max * width)));
    rect.setAttribute("class", count == null ? "oculto" : "barra");
    svg.append(rect);
    const value2 = document.createElementNS(SVG, "text");
    value2.setAttribute("x", String(count == null ? 160 : 155 + Math.max(2, count / max * width)));
    value2.setAttribute("y", String(y + 23));
    value2.textContent = count == null ? "oculto*" : number(count);
    svg.append(value2);
  });
  return svg;
}
function section(table, title, index) {
  const col = table.dimensions.indexOf("status") === 0 ? 0 : 1;
  const row = 1 - col;
  const rowDim = table.dimensions[row];
  const colDim = table.dimensions[col];
  const key = (r, c) => row === 0 ? `${r}|${c}` : `${c}|${r}`;
  const cells = new Map(table.cells.map((c) => [c.values.join("|"), c]));
  const rowValues = [...new Set(table.cells.map((c) => c.values[row]).filter((v) => v !== TOTAL))];
  const colValues = [...new Set(table.cells.map((c) => c.values[col]).filter((v) => v !== TOTAL))].filter(
    (c) => cells.get(row === 0 ? `${TOTAL}|${c}` : `${c}|${TOTAL}`)?.count !== 0
  );
  const totals = new Map(rowValues.map((r) => [r, cells.get(key(r, TOTAL))?.count ?? null]));
  const occupied = rowValues.filter((r) => totals.get(r) !== 0);
  const sorted = rowDim === "nationality" || rowDim === "department" ? [...occupied].sort((a, b) => (totals.get(b) ?? -1) - (totals.get(a) ?? -1)) : [...occupied].sort();
  const shown = sorted.slice(0, 12);
  const titleId = `t-grafico-${index}`;
  const show2 = (at) => {
    const cell = cells.get(at);
    if (!cell) return "0";
    return cell.suppressed || cell.count == null ? "oculto*" : number(cell.count);
  };
  const csv = `/statistics.csv?dims=${table.dimensions.join(",")}`;
  return h(
    "section",
    { class: "estadistica", "aria-labelledby": `t-seccion-${index}` },
    h("h2", { id: `t-seccion-${index}` }, title),
    h("p", { id: titleId, class: "detalle" }, `Personas ${title.toLowerCase()}${sorted.length > shown.length ? ` (las ${shown.length} con m\xE1s personas; la tabla tiene todas)` : ""}.`),
    ...table.margin95 == null ? [] : [h("p", { class: "detalle" }, `Precisi\xF3n de esta tabla: cada cifra puede tener hasta ${number(table.margin95)} personas de m\xE1s o de menos (con 95 % de probabilidad), por el ruido que protege a las personas contadas.`)],
    chart(rowDim, titleId, shown, totals),
    h(
      "div",
      { class: "tabla-desplazable", tabindex: "0", role: "region", "aria-label": `Tabla: ${title}` },
      h(
        "table",
        {},
        h("caption", {}, `${title}, seg\xFAn el estado de la solicitud`),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, title.replace(/^Por /, "").replace(/^./, (c) => c.toUpperCase())), ...colValues.map((c) => h("th", { scope: "col" }, label(colDim, c))), h("th", { scope: "col" }, "Total"))),
        h(
          "tbody",
          {},
          ...[...sorted, TOTAL].map(
            (r) => h("tr", {}, h("th", { scope: "row" }, label(rowDim, r)), ...[...colValues, TOTAL].map((c) => h("td", {}, show2(key(r, c)))))
          )
        )
      )
    ),
    h("p", {}, h("a", { href: csv, download: true }, `Descargar esta tabla (CSV)`))
  );
}
function method(release) {
  const details = h("details", {}, h("summary", {}, "C\xF3mo se protegen las cifras (m\xE9todo)"), h("p", {}, release.methodExplanationEs));
  const privacy = release.privacy;
  if (privacy) {
    return h(
      "section",
      { class: "aviso aviso-info", "aria-labelledby": "t-ruido" },
      h("h2", { id: "t-ruido" }, "Cifras aproximadas, para que nadie pueda ser identificado"),
      h(
        "p",
        {},
        "Todas las cifras llevan un peque\xF1o ruido aleatorio y luego se ajustan para que las sumas cuadren. As\xED nadie puede averiguar si una persona concreta est\xE1 contada, ni comparando esta edici\xF3n con otra. Las cifras grandes son fiables; las peque\xF1as, aproximadas: cada tabla dice su precisi\xF3n."
      ),
      h(
        "p",
        {},
        `Presupuesto de privacidad publicado: \u03C1 = ${privacy.rho} por edici\xF3n y como m\xE1ximo \u03C1 = ${privacy.rhoYear} por a\xF1o (\u03B5 = ${privacy.epsilon} y ${privacy.epsilonYear} con \u03B4 = ${privacy.delta}); este a\xF1o van gastados \u03C1 = ${privacy.rhoSpentYear}.`
      ),
      details
    );
  }
  return h(
    "section",
    { class: "aviso aviso-info", "aria-labelledby": "t-ocultos" },
    h("h2", { id: "t-ocultos" }, "* Por qu\xE9 algunas cifras est\xE1n ocultas"),
    h(
      "p",
      {},
      `Para que nadie pueda ser identificado, no publicamos grupos de menos de ${release.threshold} personas, y ocultamos tambi\xE9n algunas cifras m\xE1s grandes cuando, combin\xE1ndolas con los totales, se podr\xEDa averiguar una cifra peque\xF1a.`
    ),
    details
  );
}
async function observatoryPage() {
  let tables;
  let release;
  try {
    release = (await run("StatisticsRelease", {})).statisticsRelease;
    tables = await Promise.all(TOPICS.map(([dimension]) => run("Statistics", { dimensions: [dimension, "STATUS"] }).then((r) => r.statistics)));
  } catch (error) {
    show("Observatorio de refugio", notice("error", error instanceof ApiError ? error.message : "No se pudieron cargar las estad\xEDsticas."));
    return;
  }
  published = new Map(release.dimensions.flatMap((d) => d.values.map((v) => [`${d.dimension}|${v.code}`, v.labelEs])));
  show(
    "Observatorio de refugio",
    h("p", { class: "entrada" }, "Cifras de personas solicitantes de refugio y refugiadas en el Per\xFA, para municipios, prensa e investigaci\xF3n. Cada gr\xE1fico tiene debajo la tabla con sus n\xFAmeros."),
    h(
      "p",
      { class: "fecha-datos" },
      `Datos al ${dateEs(release.referenceDate)} (edici\xF3n N.\xB0 ${release.version}, publicada el ${dateTimeEs(release.publishedAt)}, hora de Lima).`
    ),
    method(release),
    ...tables.map((table, i) => section(table, TOPICS[i][1], i))
  );
}

// src/pages/preregister.ts
var SEXES = [["FEMALE", "Mujer"], ["MALE", "Hombre"], ["OTHER", "Otro"]];
var DOCUMENTS = [
  ["NATIONAL_ID", "Documento nacional de identidad (c\xE9dula) del pa\xEDs de origen"],
  ["PASSPORT", "Pasaporte"],
  ["OTHER", "Otro documento, o no tengo"]
];
var DEPENDANT_RELATIONSHIPS = Object.entries(RELATIONSHIP).filter(([code]) => code !== "PRINCIPAL");
function randomKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
function personFields(prefix, principal) {
  return [
    ...principal ? [] : [choice(`${prefix}.relationship`, "Parentesco con el titular", DEPENDANT_RELATIONSHIPS)],
    field(`${prefix}.givenNames`, "Nombres", { required: true, autocomplete: principal ? "given-name" : "off" }),
    field(`${prefix}.paternalSurname`, "Primer apellido", { required: true, autocomplete: principal ? "family-name" : "off" }),
    field(`${prefix}.maternalSurname`, "Segundo apellido"),
    choice(`${prefix}.sex`, "Sexo", SEXES),
    field(`${prefix}.birthDate`, "Fecha de nacimiento", { type: "date", required: true, hint: "D\xEDa, mes y a\xF1o." }),
    field(`${prefix}.nationality`, "Nacionalidad (pa\xEDs)", { required: true, hint: "Por ejemplo: Venezuela." }),
    field(`${prefix}.countryOfBirth`, "Pa\xEDs de nacimiento", { hint: "Si es distinto de la nacionalidad." }),
    choice(`${prefix}.document.type`, "Tipo de documento de identidad", DOCUMENTS, principal),
    field(`${prefix}.document.number`, "N\xFAmero del documento", { required: principal }),
    field(`${prefix}.document.issuingCountry`, "Pa\xEDs que emiti\xF3 el documento", { required: principal })
  ];
}
function optional(form, id) {
  return value(form, id) || null;
}
function person(form, prefix, principal) {
  const type = value(form, `${prefix}.document.type`);
  const number2 = value(form, `${prefix}.document.number`);
  return {
    givenNames: value(form, `${prefix}.givenNames`),
    paternalSurname: value(form, `${prefix}.paternalSurname`),
    maternalSurname: optional(form, `${prefix}.maternalSurname`),
    sex: value(form, `${prefix}.sex`),
    birthDate: value(form, `${prefix}.birthDate`),
    nationality: value(form, `${prefix}.nationality`),
    countryOfBirth: optional(form, `${prefix}.countryOfBirth`),
    document: type && (principal || number2) ? { type, number: number2, issuingCountry: value(form, `${prefix}.document.issuingCountry`) } : null,
    relationship: principal ? null : value(form, `${prefix}.relationship`)
  };
}
async function preRegistrationPage() {
  const key = randomKey();
  let offices = [["LIM", "Lima"]];
  try {
    offices = (await run("Offices", {})).offices.map((o) => [o.code, o.name]);
  } catch {
  }
  const dependants = h("div", { id: "dependientes" });
  const addButton = h("button", { type: "button", class: "secundario" }, "Agregar un familiar que viaja con usted");
  const removeButton = h("button", { type: "button", class: "secundario", hidden: true }, "Quitar el \xFAltimo familiar");
  const message = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    { novalidate: true },
    h("p", {}, "Todos los campos son obligatorios salvo los marcados como opcionales. Sus datos se tratan de forma confidencial: no se comparten con su pa\xEDs de origen."),
    choice("input.officeCode", "Oficina de la Comisi\xF3n m\xE1s cercana", offices),
    h("fieldset", {}, h("legend", {}, "Sus datos (titular)"), ...personFields("input.applicant", true)),
    h(
      "fieldset",
      {},
      h("legend", {}, "Contacto y domicilio en el Per\xFA"),
      field("input.phone", "Tel\xE9fono celular", { type: "tel", autocomplete: "tel", inputmode: "tel", hint: "Por ejemplo: 987 654 321." }),
      field("input.email", "Correo electr\xF3nico", { type: "email", autocomplete: "email", hint: "Ser\xE1 su usuario para ingresar." }),
      field("input.entryDate", "Fecha de ingreso al Per\xFA", { type: "date" }),
      field("input.department", "Departamento"),
      field("input.province", "Provincia"),
      field("input.district", "Distrito"),
      field("input.street", "Direcci\xF3n", { autocomplete: "street-address" })
    ),
    h("fieldset", {}, h("legend", {}, "Familiares que solicitan con usted"), dependants, addButton, removeButton),
    message,
    h("button", { type: "submit" }, "Enviar prerregistro")
  );
  let count = 0;
  addButton.addEventListener("click", () => {
    const box = h("fieldset", { class: "dependiente" }, h("legend", {}, `Familiar ${count + 1}`), ...personFields(`input.dependants.${count}`, false));
    dependants.append(box);
    count += 1;
    removeButton.hidden = false;
    box.querySelector("select").focus();
  });
  removeButton.addEventListener("click", () => {
    dependants.lastElementChild?.remove();
    count -= 1;
    removeButton.hidden = count === 0;
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    message.replaceChildren();
    const input = {
      idempotencyKey: key,
      officeCode: value(form, "input.officeCode"),
      applicant: person(form, "input.applicant", true),
      dependants: Array.from({ length: count }, (_, i) => person(form, `input.dependants.${i}`, false)),
      entryDate: optional(form, "input.entryDate"),
      phone: optional(form, "input.phone"),
      email: optional(form, "input.email"),
      department: optional(form, "input.department"),
      province: optional(form, "input.province"),
      district: optional(form, "input.district"),
      street: optional(form, "input.street")
    };
    const submit = form.querySelector("button[type=submit]");
    submit.disabled = true;
    try {
      const result = (await run("PreRegister", { input })).preRegister;
      await confirmation(result, input.officeCode);
    } catch (error) {
      const problem = error instanceof ApiError ? error : new ApiError("Ocurri\xF3 un error inesperado.", "ERROR");
      const orphans = showErrors(form, problem.problems);
      message.replaceChildren(
        notice(
          "error",
          h("p", {}, problem.problems.length ? "Revise los campos se\xF1alados:" : problem.message),
          problem.problems.length ? h("ul", {}, ...problem.problems.map((p) => h("li", {}, p.message))) : null,
          ...orphans.map((o) => h("p", {}, o))
        )
      );
      if (!problem.problems.length) message.querySelector(".aviso")?.focus();
    } finally {
      submit.disabled = false;
    }
  });
  show("Prerregistro en l\xEDnea", form);
}
async function confirmation(result, office) {
  let slots = h("p", {}, "Los horarios disponibles se muestran al ingresar a su cuenta.");
  try {
    const open = (await run("OpenSlots", { officeCode: office, purpose: "REGISTRATION_INTERVIEW" })).appointmentSlots.filter((s) => s.booked < s.capacity).slice(0, 5);
    if (open.length) {
      slots = h("ul", { class: "horarios" }, ...open.map((s) => h("li", {}, `${dateTimeEs(s.startsAt)} \u2014 ${MODE[s.mode]}`)));
    }
  } catch {
  }
  const activate = `/activar?usuario=${encodeURIComponent(result.activationLogin ?? "")}`;
  show(
    "Prerregistro recibido",
    notice("ok", h("p", { class: "grande" }, `Su n\xFAmero de expediente es `, h("strong", { "data-expediente": String(result.caseNumber) }, String(result.caseNumber)))),
    result.activationCode ? h(
      "section",
      { class: "codigo" },
      h("h2", {}, "Guarde estos datos: no se volver\xE1n a mostrar"),
      h("dl", {}, h("dt", {}, "Usuario"), h("dd", { "data-usuario": "" }, result.activationLogin ?? ""), h("dt", {}, "C\xF3digo de activaci\xF3n"), h("dd", { "data-codigo": "" }, result.activationCode)),
      h("p", {}, "An\xF3telos o t\xF3meles una foto. Con ellos activar\xE1 su cuenta y elegir\xE1 su contrase\xF1a.")
    ) : h("p", {}, result.instructions),
    h("h2", {}, "Qu\xE9 sigue"),
    h(
      "ol",
      {},
      h("li", {}, "Active su cuenta con el c\xF3digo y elija una contrase\xF1a."),
      h("li", {}, "Ingrese y reserve una cita para la entrevista de registro: presencial en la oficina o por videollamada."),
      h("li", {}, "Despu\xE9s de la entrevista y la toma de huellas, su solicitud queda registrada y puede descargar su autorizaci\xF3n de trabajo.")
    ),
    h("h2", {}, "Pr\xF3ximos horarios para la entrevista de registro"),
    slots,
    h("p", {}, h("a", { href: activate, class: "boton" }, "Activar mi cuenta ahora"))
  );
}

// src/pages/verify.ts
function tokenOf(text) {
  const trimmed = text.trim();
  const at = trimmed.lastIndexOf("/v/");
  return (at >= 0 ? trimmed.slice(at + 3) : trimmed).replace(/\.pdf$/, "");
}
function verifyPage() {
  const form = h(
    "form",
    { novalidate: true },
    field("codigo", "C\xF3digo o direcci\xF3n del documento", {
      required: true,
      hint: "Escanee el c\xF3digo QR del carn\xE9 o de la autorizaci\xF3n con la c\xE1mara del tel\xE9fono: se abrir\xE1 la constancia. Si no puede escanearlo, escriba aqu\xED la direcci\xF3n que aparece bajo el c\xF3digo."
    }),
    h("button", { type: "submit" }, "Verificar")
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearErrors(form);
    const token2 = tokenOf(value(form, "codigo"));
    if (!/^[A-Za-z0-9._-]+$/.test(token2)) {
      showErrors(form, [{ path: ["codigo"], message: "Escriba el c\xF3digo o la direcci\xF3n tal como aparece en el documento." }]);
      return;
    }
    location.assign(`/v/${token2}`);
  });
  show("Verificar un documento", h("p", {}, "Cualquier persona puede comprobar si un carn\xE9 o una autorizaci\xF3n de trabajo de la Comisi\xF3n es v\xE1lido."), form);
}

// src/pages/whoread.ts
async function whoReadPage() {
  let reads;
  try {
    reads = (await run("WhoRead", {})).whoReadMyData;
  } catch (error) {
    show("Qui\xE9n consult\xF3 mis datos", notice("error", error instanceof ApiError ? error.message : "No se pudo cargar."));
    return;
  }
  const intro = h(
    "p",
    {},
    "Cada vez que otra entidad \u2014o el personal de la Comisi\xF3n que estudia su solicitud\u2014 consulta sus datos, queda registrado con la fecha, la entidad y la finalidad. Este registro no se puede alterar."
  );
  if (!reads.length) {
    show("Qui\xE9n consult\xF3 mis datos", intro, notice("info", "Nadie ha consultado sus datos todav\xEDa."));
    return;
  }
  show(
    "Qui\xE9n consult\xF3 mis datos",
    intro,
    h(
      "ul",
      { class: "lecturas" },
      ...reads.map(
        (r) => h(
          "li",
          {},
          h("p", { class: "entidad" }, spanish(AGENCY, r.agency)),
          h("p", {}, h("span", { class: "etiqueta" }, "Cu\xE1ndo: "), dateTimeEs(r.at)),
          h("p", {}, h("span", { class: "etiqueta" }, "Para qu\xE9: "), spanish(READ_PURPOSE, r.purpose)),
          h("p", {}, h("span", { class: "etiqueta" }, "Qu\xE9 datos: "), (r.categories ?? []).map((c) => spanish(CATEGORY, c)).join(", ") || "\u2014")
        )
      )
    )
  );
}

// src/main.ts
var PAGES = {
  "/": homePage,
  "/prerregistro": preRegistrationPage,
  "/activar": activationPage,
  "/ingresar": loginPage,
  "/recuperar": resetPage,
  "/mi-caso": myCasePage,
  "/mis-datos": whoReadPage,
  "/observatorio": observatoryPage,
  "/verificar": verifyPage
};
var PRIVATE = /* @__PURE__ */ new Set(["/mi-caso", "/mis-datos"]);
function navigation() {
  const nav = document.getElementById("menu");
  const logged = personId() !== null;
  const links = [
    ["/", "Inicio"],
    ["/prerregistro", "Prerregistro"],
    logged ? ["/mi-caso", "Mi caso"] : ["/ingresar", "Ingresar"],
    ["/observatorio", "Estad\xEDsticas"],
    ["/verificar", "Verificar documento"]
  ];
  const here = location.pathname;
  nav.replaceChildren(
    h(
      "ul",
      {},
      ...links.map(([href, text]) => h("li", {}, h("a", { href, "aria-current": href === here ? "page" : void 0 }, text))),
      logged ? h("li", {}, h("button", { type: "button", class: "enlace", onclick: () => {
        logout();
        go("/");
      } }, "Salir")) : null
    )
  );
}
async function render() {
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
  const link = event.target.closest("a");
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

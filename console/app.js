// Consola de oficiales de la CEPR: habla solo con la API GraphQL del hub.
const TOKEN_KEY = "qhub.token";
const PURPOSE = "case-management";
const PAGE = 25;

const STATUS_ES = {
  PRE_REGISTERED: "Prerregistrado", APPOINTMENT_SCHEDULED: "Cita programada",
  REGISTERED: "Registrado", UNDER_REVIEW: "En evaluación", RECOGNISED: "Reconocido",
  REJECTED: "Denegado", APPEAL: "En apelación", REJECTED_FINAL: "Denegado (firme)",
  WITHDRAWN: "Desistido", CLOSED: "Cerrado", ABANDONED: "Abandonado",
};
const REL_ES = { PRINCIPAL: "Solicitante principal", SPOUSE: "Cónyuge", CHILD: "Hijo/a",
  PARENT: "Padre/madre", SIBLING: "Hermano/a", OTHER: "Otro" };
const SEX_ES = { FEMALE: "Femenino", MALE: "Masculino", OTHER: "Otro" };
const DOC_ES = { PASSPORT: "Pasaporte", NATIONAL_ID: "Documento nacional", OTHER: "Otro" };
const MODE_ES = { IN_PERSON: "Presencial", REMOTE: "Remota" };
const APPT_PURPOSE_ES = { REGISTRATION_INTERVIEW: "Entrevista de registro",
  BIOMETRIC_ENROLMENT: "Registro biométrico", CARD_PICKUP: "Entrega de carné",
  ELIGIBILITY_INTERVIEW: "Entrevista de elegibilidad" };
const APPT_STATUS_ES = { BOOKED: "Reservada", CANCELLED: "Cancelada", ATTENDED: "Asistió", MISSED: "No asistió" };
const ROLE_ES = { "cepr-supervisor": "Supervisión CEPR", "cepr-registrar": "Registro CEPR",
  "cepr-eligibility": "Elegibilidad CEPR", "cepr-secretary": "Secretaría Ejecutiva" };

const DENIED = Symbol("denied");
const $ = (sel, root = document) => root.querySelector(sel);
const regionNames = safe(() => new Intl.DisplayNames(["es-PE"], { type: "region" }));
const dateFmt = new Intl.DateTimeFormat("es-PE", { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" });
const dateTimeFmt = new Intl.DateTimeFormat("es-PE", { dateStyle: "medium", timeStyle: "short", timeZone: "America/Lima" });

function safe(fn) { try { return fn(); } catch { return null; } }

const state = { token: sessionStorage.getItem(TOKEN_KEY), who: null, allowed: new Map(),
  needLabels: new Map(), filter: null, after: null, loading: false };

// ---------- GraphQL ----------
class ApiError extends Error {
  constructor(errors) { super(errors.map((e) => e.message).join("; ")); this.errors = errors; }
}

async function gql(query, variables = {}) {
  let response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json",
        Authorization: `Bearer ${state.token}`, "X-Purpose": PURPOSE },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError([{ message: "No se pudo contactar con el hub.", extensions: { code: "NETWORK_ERROR" } }]);
  }
  let body;
  try { body = await response.json(); } catch {
    throw new ApiError([{ message: `Respuesta no válida del hub (HTTP ${response.status}).`, extensions: { code: "BAD_RESPONSE" } }]);
  }
  const errors = body.errors || [];
  if (errors.some((e) => ["UNAUTHENTICATED", "TOKEN_EXPIRED", "INVALID_TOKEN"].includes(e.extensions?.code))) {
    logout(errors);
    throw new ApiError(errors);
  }
  if (!body.data) throw new ApiError(errors.length ? errors : [{ message: "Respuesta vacía.", extensions: { code: "EMPTY" } }]);
  return { data: body.data, errors, denied: deniedPaths(errors) };
}

function deniedPaths(errors) {
  const set = new Set();
  for (const e of errors) if (e.extensions?.code === "FORBIDDEN" && e.path) set.add(e.path.join("."));
  return set;
}

function showErrors(el, errors) {
  const shown = errors.filter((e) => e.extensions?.code !== "FORBIDDEN");
  if (!shown.length) { el.hidden = true; el.textContent = ""; return; }
  el.hidden = false;
  el.replaceChildren(...shown.map((e) => {
    const p = document.createElement("p");
    p.style.margin = "2px 0";
    const code = document.createElement("code");
    code.textContent = e.extensions?.code || "ERROR";
    p.append(code, ` — ${e.message}`);
    const problems = e.extensions?.problems;
    if (Array.isArray(problems)) {
      const ul = document.createElement("ul");
      for (const pr of problems) {
        const li = document.createElement("li");
        li.textContent = `${(pr.path || []).join(".")}: ${pr.message || pr.code}`;
        ul.append(li);
      }
      p.append(ul);
    }
    return p;
  }));
}

// ---------- rendering helpers ----------
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === "class") el.className = v; else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c != null) el.append(c instanceof Node ? c : String(c));
  return el;
}
const deniedMark = () => h("span", { class: "denied", title: "Su rol no puede leer este dato" }, "— (sin permiso)");
// value: the field's value; path: its response path; returns text or a "sin permiso" mark.
function show(value, path, denied, fmt = (v) => v) {
  if (value === undefined || isDenied(path, denied)) return deniedMark();
  if (value == null || value === "") return "—";
  return fmt(value);
}
function isDenied(path, denied) {
  for (const p of denied) if (p === path || path.startsWith(p + ".")) return true;
  return false;
}
const fmtDate = (d) => { const t = Date.parse(d); return Number.isNaN(t) ? d : dateFmt.format(new Date(t)); };
const fmtDateTime = (d) => { const t = Date.parse(d); return Number.isNaN(t) ? d : dateTimeFmt.format(new Date(t)); };
const fmtCountry = (c) => { const n = safe(() => regionNames?.of(c)); return n && n !== c ? `${n} (${c})` : c; };
const fmtStatus = (s) => h("span", { class: "badge" }, STATUS_ES[s] || s);
const fmtScore = (s) => Number(s).toLocaleString("es-PE", { maximumFractionDigits: 1 });
const can = (type, field) => state.allowed.get(`${type}.${field}`) === true;

// ---------- session ----------
async function loginWithPassword(username, password) {
  const form = new URLSearchParams({ grant_type: "password", username, password, client_id: "qhub-console" });
  let response;
  try {
    response = await fetch("/oauth/token", { method: "POST", body: form,
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" } });
  } catch {
    throw new Error("No se pudo contactar con el hub.");
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.access_token) {
    const known = { invalid_grant: "Usuario o contraseña incorrectos.", invalid_client: "Cliente no autorizado.",
      unsupported_grant_type: "El hub no admite este inicio de sesión." };
    throw new Error(`${body.error || "ERROR"} — ${known[body.error] || body.error_description || "No se pudo iniciar sesión."}`);
  }
  return body.access_token;
}

function setToken(token) { state.token = token; sessionStorage.setItem(TOKEN_KEY, token); }

function logout(errors) {
  sessionStorage.removeItem(TOKEN_KEY);
  state.token = null; state.who = null; state.allowed.clear();
  $("#cases tbody").replaceChildren();
  $("#who").replaceChildren();
  if (errors) showErrors($("#login-error"), errors);
  location.hash = "#/";
  render();
}

async function loadSession() {
  const { data } = await gql(`{ whoami { role agency officeCode purpose }
    explainAccess { typeName fieldName allowed }
    specificNeedCodes { code category labelEs }
    offices { code name } }`);
  state.who = data.whoami;
  state.allowed = new Map(data.explainAccess.map((a) => [`${a.typeName}.${a.fieldName}`, a.allowed]));
  state.needLabels = new Map(data.specificNeedCodes.map((n) => [n.code, n.labelEs]));
  const w = data.whoami;
  $("#who").replaceChildren(
    h("span", {}, `${ROLE_ES[w.role] || w.role}${w.officeCode ? ` · Oficina ${w.officeCode}` : ""}`),
    h("button", { type: "button", onclick: () => logout() }, "Cerrar sesión"));
  fillSelect($("select[name=office]"), data.offices.map((o) => [o.code, `${o.code} — ${o.name}`]));
  fillSelect($("select[name=status]"), Object.entries(STATUS_ES));
  fillSelect($("select[name=need]"), data.specificNeedCodes.map((n) => [n.code, `${n.code} — ${n.labelEs}`]));
}

function fillSelect(select, options) {
  const first = select.options[0];
  select.replaceChildren(first, ...options.map(([v, t]) => h("option", { value: v }, t)));
}

// ---------- inbox ----------
// Only the fields the role may ever read are asked for (each role has its own contract).
const F = (type, field, sub = "") => (state.allowed.size && state.allowed.get(`${type}.${field}`) !== true ? "" : sub ? `${field} { ${sub} }` : field);
const fields = (type, names) => names.split(" ").map((n) => F(type, n)).join(" ");
const casesQuery = () => `query Bandeja($first: Int!, $after: String, $filter: CaseFilter) {
  cases(first: $first, after: $after, filter: $filter) {
    edges { cursor node { number ${fields("Case", "filingDate status priorityScore")}
      ${F("Case", "principal", fields("Person", "fullName nationality") || "__typename")}
      ${F("Case", "office", "code name")} } }
    pageInfo { hasNextPage endCursor } } }`;

function readFilter() {
  const f = new FormData($("#filters"));
  const filter = {};
  if (f.get("office")) filter.officeCodes = [f.get("office")];
  if (f.get("status")) filter.statuses = [f.get("status")];
  if (f.get("need")) filter.needCodes = [f.get("need")];
  const nat = String(f.get("nationality") || "").trim().toUpperCase();
  if (nat) filter.nationalities = [nat];
  if (f.get("from")) filter.filedFrom = f.get("from");
  if (f.get("to")) filter.filedTo = f.get("to");
  return Object.keys(filter).length ? filter : null;
}

async function loadCases(reset) {
  if (state.loading) return;
  state.loading = true;
  const tbody = $("#cases tbody");
  const status = $("#inbox-status");
  const more = $("#more");
  if (reset) { tbody.replaceChildren(); state.after = null; state.filter = readFilter(); }
  status.textContent = "Cargando expedientes…";
  more.disabled = true;
  try {
    const { data, errors, denied } = await gql(casesQuery(), { first: PAGE, after: state.after, filter: state.filter });
    showErrors($("#inbox-errors"), errors);
    const conn = data.cases;
    const offset = tbody.children.length;
    conn.edges.forEach((edge, i) => tbody.append(caseRow(edge.node, `cases.edges.${i}.node`, denied)));
    state.after = conn.pageInfo.endCursor;
    more.hidden = !conn.pageInfo.hasNextPage;
    const total = offset + conn.edges.length;
    status.textContent = total === 0
      ? "No hay expedientes que coincidan con los filtros."
      : `${total} expediente${total === 1 ? "" : "s"} mostrado${total === 1 ? "" : "s"}${conn.pageInfo.hasNextPage ? " (hay más)" : ""}.`;
  } catch (e) {
    status.textContent = "";
    showErrors($("#inbox-errors"), e.errors || [{ message: e.message, extensions: { code: "ERROR" } }]);
  } finally {
    state.loading = false; more.disabled = false;
  }
}

function caseRow(c, path, denied) {
  const link = h("a", { href: `#/expediente/${c.number}` }, `N.º ${c.number}`);
  return h("tr", { "data-case": c.number },
    h("th", { scope: "row" }, c.number == null ? show(null, `${path}.number`, denied) : link),
    h("td", {}, show(c.principal?.fullName, `${path}.principal.fullName`, denied)),
    h("td", {}, show(c.principal?.nationality, `${path}.principal.nationality`, denied, fmtCountry)),
    h("td", {}, show(c.status, `${path}.status`, denied, fmtStatus)),
    h("td", {}, show(c.filingDate, `${path}.filingDate`, denied, fmtDate)),
    h("td", {}, show(c.priorityScore, `${path}.priorityScore`, denied, fmtScore)),
    h("td", {}, show(c.office?.code, `${path}.office`, denied)));
}

// ---------- priority queue ----------
const fmtReasons = (rs) => (rs?.length ? h("ul", { class: "plain" }, rs.map((r) => h("li", {}, `${r.explanation} (${fmtScore(r.points)})`))) : "—");

async function loadQueue() {
  const tbody = $("#queue-table tbody");
  const status = $("#queue-status");
  tbody.replaceChildren();
  status.textContent = "Cargando cola…";
  try {
    const { data, errors, denied } = await gql(`{ officerQueue(limit: 200) { caseNumber officeCode filingDate
      score computedScore ruleVersion reasons { rule points explanation } overrideReason overrideBy } }`);
    showErrors($("#queue-errors"), errors);
    const rows = data.officerQueue || [];
    rows.forEach((q, i) => {
      const path = `officerQueue.${i}`;
      tbody.append(h("tr", {},
        h("th", { scope: "row" }, q.caseNumber == null ? show(null, `${path}.caseNumber`, denied) : h("a", { href: `#/expediente/${q.caseNumber}` }, `N.º ${q.caseNumber}`)),
        h("td", {}, show(q.officeCode, `${path}.officeCode`, denied)),
        h("td", {}, show(q.filingDate, `${path}.filingDate`, denied, fmtDate)),
        h("td", {}, show(q.score, `${path}.score`, denied, fmtScore)),
        h("td", {}, isDenied(`${path}.reasons`, denied) ? deniedMark() : fmtReasons(q.reasons)),
        h("td", {}, q.overrideReason ? `${q.overrideReason}${q.overrideBy ? ` (${q.overrideBy})` : ""}; calculada ${fmtScore(q.computedScore)}` : "—")));
    });
    status.textContent = rows.length ? `${rows.length} expediente${rows.length === 1 ? "" : "s"} en la cola.` : "La cola está vacía.";
  } catch (e) {
    status.textContent = "";
    showErrors($("#queue-errors"), e.errors || [{ message: e.message, extensions: { code: "ERROR" } }]);
  }
}

// ---------- possible duplicates ----------
const personCell = (p, path, denied) => (p == null ? show(null, path, denied)
  : h("span", {}, show(p.fullName, `${path}.fullName`, denied), p.birthDate ? ` · ${fmtDate(p.birthDate)}` : "",
    p.nationality ? ` · ${p.nationality}` : "", ` (id ${p.id})`));

async function loadDuplicates() {
  const tbody = $("#duplicates-table tbody");
  const status = $("#duplicates-status");
  tbody.replaceChildren();
  status.textContent = "Cargando revisiones…";
  const who = `id ${fields("Person", "fullName birthDate nationality")}`;
  try {
    const { data, errors, denied } = await gql(`{ possibleDuplicates(status: OPEN, first: 200) {
      id score raisedBy raisedAt person { ${who} } matchedPerson { ${who} } } }`);
    showErrors($("#duplicates-errors"), errors);
    const rows = data.possibleDuplicates || [];
    rows.forEach((d, i) => {
      const path = `possibleDuplicates.${i}`;
      tbody.append(h("tr", { "data-review": d.id },
        h("th", { scope: "row" }, `N.º ${d.id}`),
        h("td", {}, personCell(d.person, `${path}.person`, denied)),
        h("td", {}, personCell(d.matchedPerson, `${path}.matchedPerson`, denied)),
        h("td", {}, `${Math.round(d.score * 100)} %`),
        h("td", {}, `${d.raisedBy} · ${fmtDateTime(d.raisedAt)}`),
        h("td", {}, can("Mutation", "resolvePossibleDuplicate") ? decisionForm(d) : "Pendiente (decide supervisión)")));
    });
    status.textContent = rows.length ? `${rows.length} revisi${rows.length === 1 ? "ón pendiente" : "ones pendientes"}.` : "No hay posibles duplicados por revisar.";
  } catch (e) {
    status.textContent = "";
    showErrors($("#duplicates-errors"), e.errors || [{ message: e.message, extensions: { code: "ERROR" } }]);
  }
}

function decisionForm(d) {
  const out = h("div", { role: "status", "aria-live": "polite" });
  const decision = h("select", { id: `dup-${d.id}-decision`, required: true },
    h("option", { value: "DISTINCT" }, "Son personas distintas"),
    h("option", { value: "DUPLICATE" }, "Es la misma persona"));
  const note = h("textarea", { id: `dup-${d.id}-note`, rows: 2, required: true });
  return h("form", { class: "decision", novalidate: true, onsubmit: async (ev) => {
    ev.preventDefault();
    if (note.value.trim().length < 10) { failBox(out, { errors: [{ message: "Explique la decisión (al menos 10 caracteres).", extensions: { code: "NOTE_REQUIRED" } }] }); return; }
    out.className = "status"; out.textContent = "Guardando…";
    try {
      const { data, errors } = await gql(`mutation($id: Int!, $d: DuplicateDecision!, $n: String!) {
        resolvePossibleDuplicate(id: $id, decision: $d, note: $n) { id status resolvedBy } }`,
      { id: d.id, d: decision.value, n: note.value.trim() });
      const done = data?.resolvePossibleDuplicate;
      if (errors.length || !done) { failBox(out, { errors }); return; }
      ev.target.replaceWith(h("p", { class: "status" },
        `${done.status === "DUPLICATE" ? "Misma persona" : "Personas distintas"} — decidido por ${done.resolvedBy}.`));
    } catch (e) { failBox(out, e); }
  } },
  h("label", { for: `dup-${d.id}-decision` }, "Decisión"), decision,
  h("label", { for: `dup-${d.id}-note` }, "Motivo"), note,
  h("button", { type: "submit" }, "Decidir"), out);
}

// ---------- detail ----------
const person = (extra = "") => `id ${fields("Person", `fullName sex birthDate nationality ${extra}`.trim())}
  ${F("Person", "documents", "type number issuingCountry")}`;
const caseQuery = () => `query Expediente($n: Int!) { case(number: $n) {
  number ${fields("Case", "filingDate status priorityScore protectedFromRemoval")}
  ${F("Case", "office", "code name")} ${F("Case", "assignedOfficer", "username fullName officeCode")}
  ${F("Case", "principal", person("phone email entryDate"))}
  ${F("Case", "members", `relationship person { ${person()} }`)}
  ${F("Case", "needs", "code category label detail personId")}
  ${F("Case", "history", "fromStatus toStatus actor reason at")}
  ${F("Case", "appointments", "id officeCode startsAt mode purpose status videoLink")} } }`;

async function loadCase(number) {
  const body = $("#detail-body");
  const status = $("#detail-status");
  $("#detail-title").textContent = `Expediente N.º ${number}`;
  body.replaceChildren();
  $("#detail-errors").hidden = true;
  status.textContent = "Cargando expediente…";
  try {
    const { data, errors, denied } = await gql(caseQuery(), { n: number });
    showErrors($("#detail-errors"), errors);
    status.textContent = "";
    const c = data.case;
    if (!c) { if (!errors.length) status.textContent = "Expediente no encontrado o fuera de su alcance."; return; }
    body.replaceChildren(renderCase(c, denied));
    $("#detail-title").focus?.();
  } catch (e) {
    status.textContent = "";
    showErrors($("#detail-errors"), e.errors || [{ message: e.message, extensions: { code: "ERROR" } }]);
  }
}

function section(title, content, id) {
  return h("section", { class: "card", "aria-labelledby": id }, h("h3", { id }, title), content);
}
function kv(pairs) {
  return h("dl", { class: "kv" }, pairs.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}
function list(items, path, denied, render, emptyText) {
  if (items === undefined || isDenied(path, denied)) return deniedMark();
  if (items == null || !items.length) return h("p", { class: "empty" }, emptyText);
  return render(items);
}
function docs(person, path, denied) {
  if (person && person.documents === undefined) return deniedMark();
  if (isDenied(`${path}.documents`, denied)) return deniedMark();
  if (!person?.documents?.length) return "—";
  return person.documents.map((d) => `${DOC_ES[d.type] || (d.type ?? "?")} ${d.number ?? ""}${d.issuingCountry ? ` (${d.issuingCountry})` : ""}`).join("; ");
}

function renderCase(c, denied) {
  const p = "case";
  const pr = c.principal;
  const summary = kv([
    ["Estado", show(c.status, `${p}.status`, denied, fmtStatus)],
    ["Fecha de solicitud", show(c.filingDate, `${p}.filingDate`, denied, fmtDate)],
    ["Oficina", show(c.office && `${c.office.code} — ${c.office.name}`, `${p}.office`, denied)],
    ["Prioridad", show(c.priorityScore, `${p}.priorityScore`, denied, fmtScore)],
    ["Protegido de expulsión", show(c.protectedFromRemoval, `${p}.protectedFromRemoval`, denied, (v) => (v ? "Sí" : "No"))],
    ["Oficial asignado", show(c.assignedOfficer && `${c.assignedOfficer.fullName ?? c.assignedOfficer.username} (${c.assignedOfficer.officeCode ?? "—"})`,
      `${p}.assignedOfficer`, denied)],
  ]);
  const principal = pr === undefined || isDenied(`${p}.principal`, denied) ? deniedMark() : pr == null ? h("p", { class: "empty" }, "Sin datos.") : kv([
    ["Nombre", show(pr.fullName, `${p}.principal.fullName`, denied)],
    ["Sexo", show(pr.sex, `${p}.principal.sex`, denied, (s) => SEX_ES[s] || s)],
    ["Nacimiento", show(pr.birthDate, `${p}.principal.birthDate`, denied, fmtDate)],
    ["Nacionalidad", show(pr.nationality, `${p}.principal.nationality`, denied, fmtCountry)],
    ["Documentos", docs(pr, `${p}.principal`, denied)],
    ["Ingreso al Perú", show(pr.entryDate, `${p}.principal.entryDate`, denied, fmtDate)],
    ["Teléfono", show(pr.phone, `${p}.principal.phone`, denied)],
    ["Correo", show(pr.email, `${p}.principal.email`, denied)],
  ]);
  const names = new Map((c.members || []).map((m) => [m.person?.id, m.person?.fullName]));
  const family = list(c.members, `${p}.members`, denied, (ms) => table(
    ["Parentesco", "Nombre", "Sexo", "Nacimiento", "Nacionalidad", "Documentos"],
    ms.map((m, i) => {
      const q = `${p}.members.${i}.person`;
      return [show(m.relationship, `${p}.members.${i}.relationship`, denied, (r) => REL_ES[r] || r),
        show(m.person?.fullName, `${q}.fullName`, denied), show(m.person?.sex, `${q}.sex`, denied, (s) => SEX_ES[s] || s),
        show(m.person?.birthDate, `${q}.birthDate`, denied, fmtDate),
        show(m.person?.nationality, `${q}.nationality`, denied, fmtCountry), docs(m.person, q, denied)];
    }), "Miembros de la familia"), "Sin miembros registrados.");
  const needs = list(c.needs, `${p}.needs`, denied, (ns) => table(
    ["Código ACNUR", "Necesidad", "Categoría", "Persona", "Detalle"],
    ns.map((n) => [n.code ?? "—", state.needLabels.get(n.code) || n.label || "—", n.category ?? "—",
      names.get(n.personId) || "—", n.detail || "—"]), "Necesidades específicas"), "Sin necesidades específicas registradas.");
  const history = list(c.history, `${p}.history`, denied, (hs) => table(
    ["Fecha", "De", "A", "Por", "Motivo"],
    hs.map((x) => [x.at ? fmtDateTime(x.at) : "—", x.fromStatus ? STATUS_ES[x.fromStatus] || x.fromStatus : "—",
      STATUS_ES[x.toStatus] || x.toStatus || "—", x.actor || "—", x.reason || "—"]), "Historial de estados"), "Sin cambios de estado.");
  const appts = list(c.appointments, `${p}.appointments`, denied, (as) => table(
    ["Fecha y hora", "Motivo", "Modalidad", "Estado", "Oficina", "Acción"],
    as.map((a) => [a.startsAt ? fmtDateTime(a.startsAt) : "—", APPT_PURPOSE_ES[a.purpose] || a.purpose || "—",
      a.mode === "REMOTE" && a.videoLink ? h("a", { href: a.videoLink, rel: "noopener" }, MODE_ES.REMOTE) : MODE_ES[a.mode] || a.mode || "—",
      APPT_STATUS_ES[a.status] || a.status || "—", a.officeCode || "—",
      a.status === "BOOKED" && a.id != null && can("Mutation", "cancelAppointment")
        ? h("button", { type: "button", class: "small secondary", onclick: () => cancelAppointment(c.number, a.id) }, "Cancelar cita") : ""]),
    "Citas"), "Sin citas.");
  const parts = [
    h("div", { class: "grid" }, section("Resumen", summary, "s-resumen"), section("Solicitante principal", principal, "s-principal")),
    section("Familia", family, "s-familia"),
    section("Necesidades específicas (ACNUR)", needs, "s-necesidades"),
    section("Historial de estados", history, "s-historial"),
    section("Citas", appts, "s-citas"),
  ];
  if (can("Mutation", "changeCaseStatus") && c.number != null) parts.push(section("Cambiar estado", statusForm(c), "s-accion"));
  if (can("Mutation", "overridePriority") && c.number != null) parts.push(section("Ajustar prioridad", priorityForm(c), "s-prioridad"));
  return h("div", {}, parts);
}

function table(headers, rows, caption) {
  return h("div", { class: "table-wrap" }, h("table", {},
    h("caption", { class: "sr" }, caption),
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, r.map((v) => h("td", {}, v)))))));
}

function statusForm(c) {
  const out = h("div", { role: "status", "aria-live": "polite" });
  const select = h("select", { id: "to-status", name: "to", required: true },
    Object.entries(STATUS_ES).filter(([k]) => k !== c.status).map(([k, v]) => h("option", { value: k }, v)));
  const reason = h("textarea", { id: "to-reason", name: "reason", rows: 2, required: true });
  const form = h("form", { novalidate: true, onsubmit: async (ev) => {
    ev.preventDefault();
    if (!reason.value.trim()) { showErrors(out, [{ message: "Indique el motivo del cambio.", extensions: { code: "VALIDATION_FAILED" } }]); out.hidden = false; out.className = "error"; return; }
    out.className = "status"; out.textContent = "Guardando…";
    try {
      const { data, errors } = await gql(`mutation($n: Int!, $to: CaseStatus!, $r: String!) {
        changeCaseStatus(caseNumber: $n, to: $to, reason: $r) { caseNumber fromStatus toStatus } }`,
      { n: c.number, to: select.value, r: reason.value.trim() });
      if (errors.length || !data.changeCaseStatus) { out.className = "error"; showErrors(out, errors); out.hidden = false; return; }
      await loadCase(c.number);
    } catch (e) { out.className = "error"; showErrors(out, e.errors || [{ message: e.message, extensions: { code: "ERROR" } }]); out.hidden = false; }
  } },
  h("label", { for: "to-status" }, "Nuevo estado"), select,
  h("label", { for: "to-reason" }, "Motivo (queda en el historial)"), reason,
  h("button", { type: "submit" }, "Cambiar estado"), out);
  return form;
}

function failBox(out, e) {
  out.className = "error"; out.hidden = false;
  showErrors(out, e.errors || [{ message: e.message, extensions: { code: "ERROR" } }]);
}

async function cancelAppointment(number, id) {
  if (!window.confirm("¿Cancelar esta cita?")) return;
  const out = $("#detail-errors");
  try {
    const { data, errors } = await gql("mutation($id: Int!) { cancelAppointment(appointmentId: $id) }", { id: Number(id) });
    if (errors.length || !data.cancelAppointment) { failBox(out, { errors }); return; }
    await loadCase(number);
  } catch (e) { failBox(out, e); }
}

function priorityForm(c) {
  const out = h("div", { role: "status", "aria-live": "polite" });
  const score = h("input", { id: "prio-score", type: "number", step: "0.1", min: "0", inputmode: "decimal" });
  const reason = h("textarea", { id: "prio-reason", rows: 2, required: true });
  return h("form", { novalidate: true, onsubmit: async (ev) => {
    ev.preventDefault();
    if (!reason.value.trim()) { failBox(out, { errors: [{ message: "Indique el motivo del ajuste.", extensions: { code: "VALIDATION_FAILED" } }] }); return; }
    out.className = "status"; out.textContent = "Guardando…";
    try {
      const { data, errors } = await gql(`mutation($n: Int!, $s: Float, $r: String!) {
        overridePriority(caseNumber: $n, score: $s, reason: $r) { score computedScore reasons { rule points explanation } } }`,
      { n: c.number, s: score.value === "" ? null : Number(score.value), r: reason.value.trim() });
      if (errors.length || !data.overridePriority) { failBox(out, { errors }); return; }
      const q = data.overridePriority;
      out.className = "status";
      out.replaceChildren(h("p", {}, `Prioridad efectiva: ${q.score == null ? "—" : fmtScore(q.score)} (calculada: ${q.computedScore == null ? "—" : fmtScore(q.computedScore)}).`), fmtReasons(q.reasons));
    } catch (e) { failBox(out, e); }
  } },
  h("label", { for: "prio-score" }, "Nueva prioridad (vacío: volver a la calculada)"), score,
  h("label", { for: "prio-reason" }, "Motivo (se muestra junto a la prioridad)"), reason,
  h("button", { type: "submit" }, "Ajustar prioridad"), out);
}

// ---------- routing ----------
async function render() {
  const loggedIn = Boolean(state.token);
  $("#login").hidden = loggedIn;
  $("#nav").hidden = !loggedIn;
  if (!loggedIn) { for (const id of ["#inbox", "#queue", "#duplicates", "#detail"]) $(id).hidden = true; $("#username").focus(); return; }
  if (!state.who) {
    try { await loadSession(); } catch (e) {
      if (!state.token) return; // rejected token: logout() already shows the login with the error
      $("#inbox").hidden = false;
      showErrors($("#inbox-errors"), e.errors || [{ message: e.message, extensions: { code: "ERROR" } }]);
      return;
    }
  }
  const m = location.hash.match(/^#\/expediente\/(\d+)$/);
  const queue = location.hash === "#/cola" && can("Query", "officerQueue");
  const dups = location.hash === "#/duplicados" && can("Query", "possibleDuplicates");
  $("#inbox").hidden = Boolean(m) || queue || dups;
  $("#queue").hidden = !queue;
  $("#duplicates").hidden = !dups;
  $("#detail").hidden = !m;
  $('[data-nav="queue"]').hidden = !can("Query", "officerQueue");
  $('[data-nav="duplicates"]').hidden = !can("Query", "possibleDuplicates");
  const page = m ? "detail" : queue ? "queue" : dups ? "duplicates" : "inbox";
  for (const a of document.querySelectorAll("[data-nav]")) {
    if (a.dataset.nav === page) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
  if (m) await loadCase(Number(m[1]));
  else if (queue) await loadQueue();
  else if (dups) await loadDuplicates();
  else if (!$("#cases tbody").children.length) await loadCases(true);
}

function init() {
  $("#detail-title").setAttribute("tabindex", "-1");
  $("#login-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const err = $("#login-error");
    const button = ev.target.querySelector("button");
    const user = $("#username").value.trim();
    const pw = $("#password").value;
    if (!user || !pw) { err.hidden = false; err.textContent = "Ingrese usuario y contraseña."; return; }
    button.disabled = true; err.hidden = true;
    try { setToken(await loginWithPassword(user, pw)); $("#password").value = ""; await render(); }
    catch (e) { err.hidden = false; err.textContent = e.message; }
    finally { button.disabled = false; }
  });
  $("#token-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const t = $("#token").value.trim().replace(/^Bearer\s+/i, "");
    if (!t) { const err = $("#login-error"); err.hidden = false; err.textContent = "Pegue un token."; return; }
    setToken(t); $("#token").value = ""; await render();
  });
  $("#filters").addEventListener("submit", (ev) => { ev.preventDefault(); loadCases(true); });
  $("#filters").addEventListener("reset", () => setTimeout(() => loadCases(true)));
  $("#more").addEventListener("click", () => loadCases(false));
  window.addEventListener("hashchange", render);
  render();
}

init();

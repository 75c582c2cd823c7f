import { ApiError, run } from "../api";
import { choice, clearErrors, field, h, notice, show, showErrors, value } from "../dom";
import type { DocumentType, PersonData, PreRegistrationInput, Relationship, Sex } from "../generated/types";
import { MODE, RELATIONSHIP, dateTimeEs } from "../labels";

const SEXES: ReadonlyArray<readonly [Sex, string]> = [["FEMALE", "Mujer"], ["MALE", "Hombre"], ["OTHER", "Otro"]];
const DOCUMENTS: ReadonlyArray<readonly [DocumentType, string]> = [
  ["NATIONAL_ID", "Documento nacional de identidad (cédula) del país de origen"],
  ["PASSPORT", "Pasaporte"],
  ["OTHER", "Otro documento, o no tengo"],
];
const DEPENDANT_RELATIONSHIPS = (Object.entries(RELATIONSHIP) as Array<[Relationship, string]>).filter(([code]) => code !== "PRINCIPAL");

function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The fields of one person; ids are the API's paths (input.applicant.givenNames …). */
function personFields(prefix: string, principal: boolean): HTMLElement[] {
  return [
    ...(principal ? [] : [choice(`${prefix}.relationship`, "Parentesco con el titular", DEPENDANT_RELATIONSHIPS)]),
    field(`${prefix}.givenNames`, "Nombres", { required: true, autocomplete: principal ? "given-name" : "off" }),
    field(`${prefix}.paternalSurname`, "Primer apellido", { required: true, autocomplete: principal ? "family-name" : "off" }),
    field(`${prefix}.maternalSurname`, "Segundo apellido"),
    choice(`${prefix}.sex`, "Sexo", SEXES),
    field(`${prefix}.birthDate`, "Fecha de nacimiento", { type: "date", required: true, hint: "Día, mes y año." }),
    field(`${prefix}.nationality`, "Nacionalidad (país)", { required: true, hint: "Por ejemplo: Venezuela." }),
    field(`${prefix}.countryOfBirth`, "País de nacimiento", { hint: "Si es distinto de la nacionalidad." }),
    choice(`${prefix}.document.type`, "Tipo de documento de identidad", DOCUMENTS, principal),
    field(`${prefix}.document.number`, "Número del documento", { required: principal }),
    field(`${prefix}.document.issuingCountry`, "País que emitió el documento", { required: principal }),
  ];
}

function optional(form: HTMLFormElement, id: string): string | null {
  return value(form, id) || null;
}

function person(form: HTMLFormElement, prefix: string, principal: boolean): PersonData {
  const type = value(form, `${prefix}.document.type`);
  const number = value(form, `${prefix}.document.number`);
  return {
    givenNames: value(form, `${prefix}.givenNames`),
    paternalSurname: value(form, `${prefix}.paternalSurname`),
    maternalSurname: optional(form, `${prefix}.maternalSurname`),
    sex: value(form, `${prefix}.sex`) as Sex,
    birthDate: value(form, `${prefix}.birthDate`),
    nationality: value(form, `${prefix}.nationality`),
    countryOfBirth: optional(form, `${prefix}.countryOfBirth`),
    document:
      type && (principal || number)
        ? { type: type as DocumentType, number, issuingCountry: value(form, `${prefix}.document.issuingCountry`) }
        : null,
    relationship: principal ? null : (value(form, `${prefix}.relationship`) as Relationship),
  };
}

export async function preRegistrationPage(): Promise<void> {
  const key = randomKey(); // one per form: sending it again never creates a second case
  let offices: Array<readonly [string, string]> = [["LIM", "Lima"]];
  try {
    offices = (await run("Offices", {})).offices.map((o) => [o.code, o.name] as const);
  } catch {
    /* the list is only a convenience: Lima stays */
  }
  const dependants = h("div", { id: "dependientes" });
  const addButton = h("button", { type: "button", class: "secundario" }, "Agregar un familiar que viaja con usted");
  const removeButton = h("button", { type: "button", class: "secundario", hidden: true }, "Quitar el último familiar");
  const message = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    { novalidate: true },
    h("p", {}, "Todos los campos son obligatorios salvo los marcados como opcionales. Sus datos se tratan de forma confidencial: no se comparten con su país de origen."),
    choice("input.officeCode", "Oficina de la Comisión más cercana", offices),
    h("fieldset", {}, h("legend", {}, "Sus datos (titular)"), ...personFields("input.applicant", true)),
    h(
      "fieldset",
      {},
      h("legend", {}, "Contacto y domicilio en el Perú"),
      field("input.phone", "Teléfono celular", { type: "tel", autocomplete: "tel", inputmode: "tel", hint: "Por ejemplo: 987 654 321." }),
      field("input.email", "Correo electrónico", { type: "email", autocomplete: "email", hint: "Será su usuario para ingresar." }),
      field("input.entryDate", "Fecha de ingreso al Perú", { type: "date" }),
      field("input.department", "Departamento"),
      field("input.province", "Provincia"),
      field("input.district", "Distrito"),
      field("input.street", "Dirección", { autocomplete: "street-address" }),
    ),
    h("fieldset", {}, h("legend", {}, "Familiares que solicitan con usted"), dependants, addButton, removeButton),
    message,
    h("button", { type: "submit" }, "Enviar prerregistro"),
  );
  let count = 0;
  addButton.addEventListener("click", () => {
    const box = h("fieldset", { class: "dependiente" }, h("legend", {}, `Familiar ${count + 1}`), ...personFields(`input.dependants.${count}`, false));
    dependants.append(box);
    count += 1;
    removeButton.hidden = false;
    (box.querySelector("select") as HTMLElement).focus();
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
    const input: PreRegistrationInput = {
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
      street: optional(form, "input.street"),
    };
    const submit = form.querySelector("button[type=submit]") as HTMLButtonElement;
    submit.disabled = true;
    try {
      const result = (await run("PreRegister", { input })).preRegister;
      await confirmation(result, input.officeCode);
    } catch (error) {
      const problem = error instanceof ApiError ? error : new ApiError("Ocurrió un error inesperado.", "ERROR");
      const orphans = showErrors(form, problem.problems);
      message.replaceChildren(
        notice(
          "error",
          h("p", {}, problem.problems.length ? "Revise los campos señalados:" : problem.message),
          problem.problems.length ? h("ul", {}, ...problem.problems.map((p) => h("li", {}, p.message))) : null,
          ...orphans.map((o) => h("p", {}, o)),
        ),
      );
      if (!problem.problems.length) message.querySelector<HTMLElement>(".aviso")?.focus();
    } finally {
      submit.disabled = false;
    }
  });
  show("Prerregistro en línea", form);
}

async function confirmation(
  result: { caseNumber: number; replayed: boolean; activationLogin: string | null; activationCode: string | null; instructions: string },
  office: string,
): Promise<void> {
  let slots: HTMLElement = h("p", {}, "Los horarios disponibles se muestran al ingresar a su cuenta.");
  try {
    const open = (await run("OpenSlots", { officeCode: office, purpose: "REGISTRATION_INTERVIEW" })).appointmentSlots
      .filter((s) => s.booked < s.capacity)
      .slice(0, 5);
    if (open.length) {
      slots = h("ul", { class: "horarios" }, ...open.map((s) => h("li", {}, `${dateTimeEs(s.startsAt)} — ${MODE[s.mode]}`)));
    }
  } catch {
    /* keep the general sentence */
  }
  const activate = `/activar?usuario=${encodeURIComponent(result.activationLogin ?? "")}`;
  show(
    "Prerregistro recibido",
    notice("ok", h("p", { class: "grande" }, `Su número de expediente es `, h("strong", { "data-expediente": String(result.caseNumber) }, String(result.caseNumber)))),
    result.activationCode
      ? h(
          "section",
          { class: "codigo" },
          h("h2", {}, "Guarde estos datos: no se volverán a mostrar"),
          h("dl", {}, h("dt", {}, "Usuario"), h("dd", { "data-usuario": "" }, result.activationLogin ?? ""), h("dt", {}, "Código de activación"), h("dd", { "data-codigo": "" }, result.activationCode)),
          h("p", {}, "Anótelos o tómeles una foto. Con ellos activará su cuenta y elegirá su contraseña."),
        )
      : h("p", {}, result.instructions),
    h("h2", {}, "Qué sigue"),
    h(
      "ol",
      {},
      h("li", {}, "Active su cuenta con el código y elija una contraseña."),
      h("li", {}, "Ingrese y reserve una cita para la entrevista de registro: presencial en la oficina o por videollamada."),
      h("li", {}, "Después de la entrevista y la toma de huellas, su solicitud queda registrada y puede descargar su autorización de trabajo."),
    ),
    h("h2", {}, "Próximos horarios para la entrevista de registro"),
    slots,
    h("p", {}, h("a", { href: activate, class: "boton" }, "Activar mi cuenta ahora")),
  );
}

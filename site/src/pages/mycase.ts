import { ApiError, personId, run } from "../api";
import { choice, clearErrors, download, field, h, notice, show, showErrors, value } from "../dom";
import type { AppointmentPurpose, MyCaseQuery, SlotsQuery } from "../generated/types";
import { APPOINTMENT_STATUS, MODE, PERMIT_STATUS, PURPOSE, RELATIONSHIP, STATUS, dateEs, dateTimeEs, spanish } from "../labels";

type CaseInfo = NonNullable<NonNullable<NonNullable<MyCaseQuery["person"]>["cases"]>[number]["case"]>;
type Appointment = NonNullable<CaseInfo["appointments"]>[number];
type Slot = SlotsQuery["appointmentSlots"][number];

function failure(error: unknown): string {
  return error instanceof ApiError ? error.message : "Ocurrió un error inesperado.";
}

export async function myCasePage(): Promise<void> {
  const id = personId();
  if (id === null) return;
  let data: MyCaseQuery;
  try {
    data = await run("MyCase", { personId: id });
  } catch (error) {
    show("Mi caso", notice("error", failure(error)));
    return;
  }
  const person = data.person;
  const own = (person?.cases ?? []).find((m) => m.relationship === "PRINCIPAL")?.case ?? person?.cases?.[0]?.case;
  if (!person || !own || own.number === null || own.status === null) {
    show("Mi caso", notice("info", "No encontramos una solicitud a su nombre. Si cree que es un error, acérquese a una oficina."));
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
      h("h2", { id: "t-estado" }, `Expediente N.° ${own.number}`),
      h("p", { class: "estado", "data-estado": own.status }, status.title),
      h("p", {}, status.now),
      h("p", {}, h("strong", {}, "Qué sigue: "), status.next),
      h("p", { class: "detalle" }, `Solicitud presentada el ${dateEs(own.filingDate)}.`),
      own.members && own.members.length > 1
        ? h("p", { class: "detalle" }, "En este expediente también: ", own.members.filter((m) => m.relationship !== "PRINCIPAL").map((m) => spanish(RELATIONSHIP, m.relationship).toLowerCase()).join(", "), ".")
        : null,
    ),
    appointmentsSection(own.number, own.appointments ?? [], flash),
    permitSection(data.myWorkPermit, own.status, flash),
    cardSection(data.myAsylumCard, flash),
    contactSection(person, flash),
    h("p", {}, h("a", { href: "/mis-datos" }, "Ver quién consultó mis datos")),
  );
}

function appointmentsSection(caseNumber: number, appointments: Appointment[], flash: HTMLElement): HTMLElement {
  const booked = appointments.filter((a) => a.status === "BOOKED");
  const list = h(
    "ul",
    { class: "citas" },
    ...booked.map((a) =>
      h(
        "li",
        { "data-cita": a.id ?? "" },
        h("p", { class: "entidad" }, `${spanish(PURPOSE, a.purpose)} — ${dateTimeEs(a.startsAt)}`),
        h("p", {}, a.mode ? MODE[a.mode] : "", a.mode === "IN_PERSON" ? ` (oficina ${a.officeCode ?? ""})` : ""),
        a.videoLink ? h("p", {}, "Enlace de la videollamada: ", h("a", { href: a.videoLink, rel: "noopener" }, a.videoLink)) : null,
        h(
          "div",
          { class: "acciones" },
          h("button", { type: "button", class: "secundario", onclick: () => slotPicker(caseNumber, flash, a) }, "Cambiar de horario"),
          h("button", { type: "button", class: "secundario", onclick: () => cancel(a, flash) }, "Cancelar la cita"),
        ),
      ),
    ),
  );
  const past = appointments.filter((a) => a.status !== "BOOKED");
  return h(
    "section",
    { "aria-labelledby": "t-citas" },
    h("h2", { id: "t-citas" }, "Mis citas"),
    booked.length ? list : h("p", {}, "No tiene citas reservadas."),
    past.length ? h("p", { class: "detalle" }, `Citas anteriores: ${past.map((a) => `${dateEs(a.startsAt)} (${spanish(APPOINTMENT_STATUS, a.status)})`).join("; ")}.`) : null,
    h("button", { type: "button", onclick: () => slotPicker(caseNumber, flash) }, "Reservar una cita"),
    h("div", { id: "reserva" }),
  );
}

async function slotPicker(caseNumber: number, flash: HTMLElement, moving?: Appointment): Promise<void> {
  const area = document.getElementById("reserva") as HTMLElement;
  const purpose: AppointmentPurpose = moving?.purpose ?? "REGISTRATION_INTERVIEW";
  const office = moving?.officeCode ?? "LIM";
  const list = h("div", { id: "horarios" });
  let offices: Array<readonly [string, string]> = [];
  async function load(officeCode: string, wanted: AppointmentPurpose): Promise<void> {
    list.replaceChildren(h("p", {}, "Cargando horarios…"));
    let result: SlotsQuery;
    try {
      result = await run("Slots", { officeCode, purpose: wanted });
    } catch (error) {
      list.replaceChildren(notice("error", failure(error)));
      return;
    }
    if (!offices.length) {
      offices = result.offices.map((o) => [o.code, o.name] as const);
      const select = form.querySelector<HTMLSelectElement>("#oficina") as HTMLSelectElement;
      select.replaceChildren(...offices.map(([code, name]) => h("option", { value: code, selected: code === officeCode }, name)));
    }
    const open = result.appointmentSlots.filter((s) => s.booked < s.capacity);
    list.replaceChildren(
      open.length
        ? h("fieldset", {}, h("legend", {}, "Horarios disponibles"), ...open.map((s) => slotOption(s)))
        : h("p", {}, "No hay horarios libres en esta oficina para este trámite. Pruebe otra oficina o vuelva mañana."),
    );
  }
  const form = h(
    "form",
    { class: "reserva" },
    h("h3", {}, moving ? "Elegir otro horario" : "Reservar una cita"),
    choice("oficina", "Oficina", [[office, office]]),
    choice("tramite", "Trámite", (Object.entries(PURPOSE) as Array<[AppointmentPurpose, string]>).filter(([p]) => !moving || p === purpose)),
    list,
    h("button", { type: "submit" }, moving ? "Confirmar el cambio" : "Confirmar la reserva"),
  );
  (form.querySelector("#tramite") as HTMLSelectElement).value = purpose;
  form.addEventListener("change", (event) => {
    const target = event.target as HTMLElement;
    if (target.id === "oficina" || target.id === "tramite") {
      void load((form.querySelector("#oficina") as HTMLSelectElement).value, (form.querySelector("#tramite") as HTMLSelectElement).value as AppointmentPurpose);
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = form.querySelector<HTMLInputElement>("input[name=horario]:checked");
    if (!chosen) {
      flash.replaceChildren(notice("error", "Elija un horario."));
      return;
    }
    try {
      const slotId = Number(chosen.value);
      const done = moving
        ? (await run("Reschedule", { appointmentId: Number(moving.id), slotId })).rescheduleAppointment
        : (await run("Book", { caseNumber, slotId })).bookAppointment;
      await myCasePage();
      const link = done.videoLink ? ` Enlace de la videollamada: ${done.videoLink}` : "";
      (document.getElementById("aviso-caso") as HTMLElement).replaceChildren(
        notice("ok", `Cita ${moving ? "cambiada" : "reservada"}: ${dateTimeEs(done.startsAt)}, ${done.mode ? MODE[done.mode].toLowerCase() : ""}.${link}`),
      );
    } catch (error) {
      flash.replaceChildren(notice("error", failure(error)));
    }
  });
  area.replaceChildren(form);
  await load(office, purpose);
  (form.querySelector("#oficina") as HTMLElement).focus();
}

function slotOption(slot: Slot): HTMLElement {
  const id = `horario-${slot.id}`;
  return h(
    "div",
    { class: "opcion" },
    h("input", { type: "radio", name: "horario", id, value: String(slot.id) }),
    h("label", { for: id }, `${dateTimeEs(slot.startsAt)} — ${MODE[slot.mode]} (${slot.capacity - slot.booked} cupos)`),
  );
}

async function cancel(appointment: Appointment, flash: HTMLElement): Promise<void> {
  const sure = h(
    "div",
    { class: "confirmar", role: "alertdialog", "aria-labelledby": "t-cancelar" },
    h("p", { id: "t-cancelar" }, `¿Cancelar la cita del ${dateTimeEs(appointment.startsAt)}? Su cupo quedará libre para otra persona.`),
    h(
      "button",
      {
        type: "button",
        onclick: async () => {
          try {
            await run("Cancel", { appointmentId: Number(appointment.id) });
            await myCasePage();
            (document.getElementById("aviso-caso") as HTMLElement).replaceChildren(notice("ok", "La cita fue cancelada."));
          } catch (error) {
            flash.replaceChildren(notice("error", failure(error)));
          }
        },
      },
      "Sí, cancelar la cita",
    ),
    h("button", { type: "button", class: "secundario", onclick: () => sure.remove() }, "No, mantenerla"),
  );
  flash.replaceChildren(sure);
  (sure.querySelector("button") as HTMLElement).focus();
}

function permitSection(permit: MyCaseQuery["myWorkPermit"], status: string, flash: HTMLElement): HTMLElement {
  const pending = ["REGISTERED", "UNDER_REVIEW", "APPEAL", "REJECTED", "PRE_REGISTERED", "APPOINTMENT_SCHEDULED"].includes(status);
  const box = h("div", { id: "renovacion" });
  const renew = (): void => {
    box.replaceChildren(
      h(
        "div",
        { class: "confirmar", role: "region", "aria-labelledby": "t-renovar" },
        h("h3", { id: "t-renovar" }, "Antes de renovar"),
        h(
          "ul",
          {},
          h("li", {}, "Se emitirá una autorización nueva, firmada digitalmente, válida por un año."),
          permit
            ? h("li", { class: "importante" }, `Su autorización actual${permit.validTo ? ` (vigente hasta el ${dateEs(permit.validTo)})` : ""} quedará REEMPLAZADA en ese momento: quien escanee su código QR verá «NO VÁLIDO: reemplazado».`)
            : null,
          h("li", {}, "Si entregó una copia a su empleador, entréguele la nueva para que pueda comprobarla."),
        ),
        h("div", { class: "campo" }, h("input", { type: "checkbox", id: "entiendo" }), h("label", { for: "entiendo" }, " Entiendo que la autorización anterior dejará de ser válida.")),
        h(
          "button",
          {
            type: "button",
            onclick: async () => {
              if (!(document.getElementById("entiendo") as HTMLInputElement).checked) {
                flash.replaceChildren(notice("error", "Marque la casilla para confirmar que entiende lo que pasa con la autorización anterior."));
                return;
              }
              try {
                const issued = (await run("Renew", {})).renewMyWorkPermit;
                if (issued?.pdfBase64) download(issued.pdfBase64, "autorizacion-de-trabajo.pdf");
                await myCasePage();
                (document.getElementById("aviso-caso") as HTMLElement).replaceChildren(
                  notice("ok", `Autorización renovada: válida desde el ${dateEs(issued?.validFrom)} hasta el ${dateEs(issued?.validTo)}. La anterior quedó reemplazada.`),
                );
              } catch (error) {
                flash.replaceChildren(notice("error", failure(error)));
              }
            },
          },
          "Confirmar la renovación",
        ),
        h("button", { type: "button", class: "secundario", onclick: () => box.replaceChildren() }, "No renovar"),
      ),
    );
    (document.getElementById("entiendo") as HTMLElement).focus();
  };
  return h(
    "section",
    { "aria-labelledby": "t-permiso" },
    h("h2", { id: "t-permiso" }, "Mi autorización de trabajo"),
    permit
      ? h(
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
              },
            },
            "Descargar mi autorización (PDF)",
          ),
        )
      : h("p", {}, pending ? "Todavía no tiene una autorización de trabajo." : "Su expediente ya no permite una autorización de trabajo de solicitante."),
    pending ? h("button", { type: "button", class: "secundario", onclick: renew }, permit ? "Renovar en línea" : "Pedir mi autorización en línea") : null,
    box,
  );
}

function cardSection(card: MyCaseQuery["myAsylumCard"], flash: HTMLElement): HTMLElement {
  return h(
    "section",
    { "aria-labelledby": "t-carne" },
    h("h2", { id: "t-carne" }, "Mi carné de solicitante"),
    card
      ? h(
          "div",
          {},
          h("p", { "data-carne": card.status ?? "" }, `Carné N.° ${card.number ?? "—"}, emitido el ${dateEs(card.issuedOn)}: ${spanish(PERMIT_STATUS, card.status).toLowerCase()}. No tiene fecha de vencimiento.`),
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
              },
            },
            "Descargar mi carné (PDF)",
          ),
          h("p", { class: "detalle" }, "Puede imprimirlo en cualquier oficina. Su validez se comprueba con el código QR."),
        )
      : h("p", {}, "La Comisión emite su carné después del registro (entrevista y toma de huellas y fotografía)."),
  );
}

function contactSection(person: NonNullable<MyCaseQuery["person"]>, flash: HTMLElement): HTMLElement {
  const address = person.address;
  const form = h(
    "form",
    { novalidate: true, hidden: true, id: "correccion" },
    field("input.phone", "Teléfono celular", { type: "tel", autocomplete: "tel", inputmode: "tel", value: person.phone ?? "" }),
    field("input.email", "Correo electrónico", { type: "email", autocomplete: "email", value: person.email ?? "" }),
    field("input.department", "Departamento", { value: address?.department ?? "" }),
    field("input.province", "Provincia", { value: address?.province ?? "" }),
    field("input.district", "Distrito", { value: address?.district ?? "" }),
    field("input.street", "Dirección", { autocomplete: "street-address", value: address?.street ?? "" }),
    h("button", { type: "submit" }, "Guardar la corrección"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const given = (key: string): string | null => value(form, `input.${key}`) || null;
    const input = {
      phone: given("phone"),
      email: given("email"),
      department: given("department"),
      province: given("province"),
      district: given("district"),
      street: given("street"),
    };
    try {
      await run("UpdateContact", { input });
      await myCasePage();
      (document.getElementById("aviso-caso") as HTMLElement).replaceChildren(notice("ok", "Sus datos de contacto fueron corregidos."));
    } catch (error) {
      const problem = error instanceof ApiError ? error : new ApiError("Ocurrió un error inesperado.", "ERROR");
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
      h("dt", {}, "Teléfono"),
      h("dd", {}, person.phone ?? "—"),
      h("dt", {}, "Correo electrónico"),
      h("dd", {}, person.email ?? "—"),
      h("dt", {}, "Domicilio"),
      h("dd", {}, [address?.street, address?.district, address?.province, address?.department].filter(Boolean).join(", ") || "—"),
    ),
    h(
      "button",
      {
        type: "button",
        class: "secundario",
        onclick: () => {
          form.hidden = false;
          (form.querySelector("input") as HTMLInputElement).focus();
        },
      },
      "Corregir mis datos de contacto",
    ),
    form,
  );
}

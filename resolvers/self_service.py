"""Resolvers of the applicant's own contact correction (thin: one service call)."""

from __future__ import annotations

from typing import Any

import strawberry

from auth.policy import RowScope
from resolvers.documents import own_person
from services.self_service import Contact, update_own_contact


class ContactView:
    def __init__(self, contact: Contact, row_scope: RowScope) -> None:
        self.phone = contact.phone
        self.email = contact.email
        self.department = contact.department
        self.province = contact.province
        self.district = contact.district
        self.street = contact.street
        self.row_scope = row_scope


async def update_my_contact(info: strawberry.Info, input: Any) -> ContactView:
    person = own_person(info)
    given = Contact(
        input.phone, input.email, input.department, input.province, input.district, input.street
    )
    contact = await info.context.run(update_own_contact, person, given)
    return ContactView(contact, RowScope(person_ids=(person,)))

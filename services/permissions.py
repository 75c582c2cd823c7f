"""Who may write what, asked of the one declaration (``auth.policy``): the services' role
checks are the policy's write scopes, so ``explainAccess`` and the contracts tell the
truth about writes too. The row condition of a write is checked on the facts of the
record being changed, before anything changes."""

from __future__ import annotations

from collections.abc import Iterable

from auth.policy import Scope, read_scope, write_scope
from auth.principal import Principal
from services.errors import Forbidden


def scope_holds(
    principal: Principal,
    scope: Scope | None,
    *,
    office_code: str | None = None,
    officer_id: int | None = None,
    person_ids: Iterable[int] = (),
) -> bool:
    """Whether a record with these facts satisfies ``scope`` for ``principal``."""
    if scope is None:
        return False
    if scope is Scope.ALL:
        return True
    if scope is Scope.OWN_OFFICE:
        return principal.office_code is not None and principal.office_code == office_code
    if scope is Scope.ASSIGNED:
        return principal.officer_id is not None and principal.officer_id == officer_id
    if scope is Scope.SELF:
        return principal.person_id is not None and principal.person_id in set(person_ids)
    return False  # consent never opens a write


def may_write(principal: Principal, category: str) -> bool:
    """Whether the role may write ``category`` on some record."""
    return write_scope(principal.role, category) is not None


def require_write(
    principal: Principal,
    category: str,
    message_es: str,
    *,
    office_code: str | None = None,
    officer_id: int | None = None,
    person_ids: Iterable[int] = (),
) -> Scope:
    """The role's write scope of ``category`` when this record satisfies it; ``Forbidden``
    with ``message_es`` otherwise."""
    scope = write_scope(principal.role, category)
    if not scope_holds(
        principal, scope, office_code=office_code, officer_id=officer_id, person_ids=person_ids
    ):
        raise Forbidden(message_es)
    assert scope is not None
    return scope


def require_any_write(principal: Principal, category: str, message_es: str) -> Scope:
    """The role's write scope of ``category`` (before the record is known)."""
    scope = write_scope(principal.role, category)
    if scope is None:
        raise Forbidden(message_es)
    return scope


def require_read(principal: Principal, category: str, message_es: str) -> Scope:
    """The role's read scope of ``category``; ``Forbidden`` when it has none."""
    scope = read_scope(principal.role, category)
    if scope is None:
        raise Forbidden(message_es)
    return scope

"""``qhub policy contracts`` (write each role's SDL) and ``qhub policy explain``."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from models.vocab import Role

policy_app = typer.Typer(help="Política de acceso: contratos por rol y explicaciones.")
console = Console()


@policy_app.command("contracts")
def contracts_cmd(
    check: bool = typer.Option(False, help="Solo comprobar que están al día."),
) -> None:
    """Escribe schema/contracts/<rol>.graphql desde auth/policy.py."""
    from auth.contracts import stale_contracts, write_contracts

    if check:
        stale = stale_contracts()
        if stale:
            console.print(f"[red]Contratos desactualizados:[/red] {', '.join(stale)}")
            raise typer.Exit(1)
        console.print("[green]Contratos al día.[/green]")
        return
    for path in write_contracts():
        console.print(f"escrito {path}")


@policy_app.command("explain")
def explain_cmd(role: str, field: str = typer.Argument(..., help="Tipo.campo")) -> None:
    """Explica si un rol puede leer un campo y por qué."""
    from auth.explain import explain

    type_name, _, field_name = field.partition(".")
    access = explain(Role(role), type_name, field_name)
    table = Table("campo", "categoría", "permitido", "condición", "motivo")
    table.add_row(
        field,
        access.category or "—",
        "sí" if access.allowed else "no",
        access.condition or "—",
        access.reason,
    )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(policy_app, name="policy")

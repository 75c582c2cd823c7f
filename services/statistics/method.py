"""The method of a release, explained in plain Spanish (the observatory page shows it)."""

from __future__ import annotations

from typing import Any

from services.statistics.privacy import domain_cutoff


def _number(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def explanation_es(
    method: str, threshold: int, protection: int, privacy: dict[str, Any] | None = None
) -> str:
    """The method of a release (``privacy``: its budget, for the noise method)."""
    if privacy is not None:
        return _noise_es(threshold, privacy)
    return _suppression_es(threshold, protection)


def _noise_es(threshold: int, privacy: dict[str, Any]) -> str:
    return (
        "Cómo protegemos a las personas contadas. "
        "Las estadísticas se publican por ediciones: una por trimestre cerrado, que cuenta a "
        "las personas con una solicitud presentada hasta el último día del trimestre, con la "
        "situación de su expediente en esa fecha. Una edición no se rehace ni se corrige: las "
        "correcciones aparecen en la edición del trimestre siguiente. "
        "Todas las cifras llevan un ruido aleatorio (privacidad diferencial, con la biblioteca "
        "OpenDP): a cada celda de cada tabla se le suma un número al azar y luego las tablas "
        "se ajustan para que sean números enteros, nunca negativos, y para que filas, "
        "columnas y totales cuadren entre todas las tablas. Por eso ninguna cifra se oculta, "
        "pero las cifras pequeñas son aproximadas: junto a cada tabla se indica su precisión "
        "(con 95 % de probabilidad, cuántas personas de más o de menos puede tener cada "
        "celda). "
        "Por qué elegimos ruido y no solo ocultar celdas: quien compara dos ediciones "
        "(por ejemplo, la de un trimestre y la del siguiente) podría restar las tablas y "
        "encontrar a una sola persona que cambió; con el ruido, la diferencia entre dos "
        "ediciones es sobre todo ruido, y una persona, esté o no, cambie o no, casi no altera "
        "lo que se publica. Esa garantía tiene un límite que publicamos: cada edición gasta "
        f"un presupuesto de privacidad ρ = {_number(privacy['rho'])} (zCDP; equivale a "
        f"ε = {_number(privacy['epsilon'])} con δ = {privacy['delta']:g}) y las ediciones "
        f"publicadas en un mismo año gastan juntas como máximo ρ = {_number(privacy['rhoYear'])} "
        f"(ε = {_number(privacy['epsilonYear'])}), sea cual sea el trimestre que cuentan; el "
        "año en que se publicó esta edición lleva gastado "
        f"ρ = {_number(privacy['rhoSpentYear'])}. El ruido de cada celda medida tiene una "
        f"desviación estándar de {_number(privacy['noiseSd'])} personas. La garantía es "
        "por persona: un cambio que afecta a toda una familia (por ejemplo, la situación de "
        "su expediente) queda protegido como el de varias personas, con menos margen. "
        "Los lugares son códigos de departamento del INEI (ubigeo) y las nacionalidades "
        "códigos ISO; qué nacionalidades se publican con su código (las demás van juntas como "
        f"«ZZ») se decide también con cifras con ruido (hacen falta unas "
        f"{round(domain_cutoff(threshold))} personas), y "
        "nunca se publica texto libre."
    )


def _suppression_es(threshold: int, protection: int) -> str:
    return (
        "Cómo protegemos a las personas contadas. "
        "Las estadísticas se publican por ediciones: cada edición cuenta a las personas con "
        "una solicitud presentada hasta el último día de un trimestre ya cerrado, con la "
        "situación de su expediente en esa fecha, y no cambia después; las correcciones "
        "aparecen en la edición del trimestre siguiente. "
        f"Toda celda con entre 1 y {threshold - 1} personas se oculta. Como las tablas "
        "comparten totales (por ejemplo, mujeres por nacionalidad y mujeres por nacionalidad "
        "y departamento), también se ocultan otras celdas, elegidas para que nadie pueda "
        "deducir las ocultas restando o combinando tablas. Antes de publicar, hacemos "
        "nosotros mismos el ataque más fuerte que conocemos: con todas las tablas de la "
        "edición a la vez (totales compartidos, trimestres que suman años, números enteros, "
        "y sabiendo que una celda oculta tiene al menos una persona, porque los ceros se "
        "publican), un programa de optimización lineal calcula el menor y el mayor valor "
        "posible de cada celda oculta. Si para alguna la diferencia es menor que "
        f"{protection}, ocultamos otra celda y repetimos, hasta que ninguna celda oculta "
        f"quede acotada a menos de {protection + 1} valores posibles. "
        "Los lugares son códigos de departamento del INEI (ubigeo) y las nacionalidades "
        "códigos ISO; las nacionalidades con pocas personas se publican juntas como «ZZ», "
        "y nunca se publica texto libre. Una celda oculta no dice si es pequeña o si se "
        "ocultó para proteger a otra."
    )

"""The method of a release, explained in plain Spanish (the observatory page shows it)."""

from __future__ import annotations


def explanation_es(threshold: int, protection: int) -> str:
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

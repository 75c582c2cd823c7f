"""The cells of a release as one flat array, and the equations that tie them together.

A release holds every table over a set of dimensions (the grand total, one-, two- and
three-dimension tables). Cell ``i`` of the release is one cell of one table. The tables
share margins: a table's cells add up to the cells of each table with one dimension
fewer, and quarters add up to years. Each such identity is an :class:`Equation`
(``parent = sum(children)``); together they are everything an attacker who downloads the
whole release can write down.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from services.statistics.dimensions import ORDER, Dimension, Domains

TableKey = tuple[Dimension, ...]


def canonical(dims: Sequence[Dimension]) -> TableKey:
    return tuple(sorted(dims, key=ORDER.__getitem__))


# The three-dimension tables a release publishes: sex and age by nationality and by
# department, and sex by nationality and status. More three-dimension tables multiply
# small cells, suppressions and the audit's work (eight of them: 84 s for 50,000 persons
# instead of 1.6 s); pairs of any two dimensions are all published.
THREE_WAY: tuple[tuple[Dimension, ...], ...] = (
    (Dimension.SEX, Dimension.AGE_GROUP, Dimension.NATIONALITY),
    (Dimension.SEX, Dimension.AGE_GROUP, Dimension.DEPARTMENT),
    (Dimension.SEX, Dimension.NATIONALITY, Dimension.STATUS),
)


def release_tables(three_way: Sequence[Sequence[Dimension]] = THREE_WAY) -> list[TableKey]:
    """The tables of a release: the grand total, every dimension alone, every pair except
    year with quarter, and the ``three_way`` tables (their margins are among the pairs)."""
    out: list[TableKey] = []
    for size in (0, 1, 2):
        for combo in itertools.combinations(Dimension, size):
            if Dimension.PERIOD in combo and Dimension.QUARTER in combo:
                continue
            out.append(canonical(combo))
    out.extend(canonical(combo) for combo in three_way)
    return out


@dataclass(frozen=True)
class Layout:
    dims: TableKey
    offset: int
    shape: tuple[int, ...]
    strides: tuple[int, ...]

    @property
    def size(self) -> int:
        n = 1
        for s in self.shape:
            n *= s
        return n

    def index(self, position: Sequence[int]) -> int:
        return self.offset + sum(p * s for p, s in zip(position, self.strides, strict=True))

    def positions(self) -> Iterator[tuple[int, ...]]:
        return itertools.product(*(range(s) for s in self.shape))


@dataclass(frozen=True)
class Equation:
    parent: int
    children: tuple[int, ...]


class Grid:
    """Where each table's cells live in the flat array, and the equations between them."""

    def __init__(self, domains: Domains, tables: Sequence[TableKey]) -> None:
        self.domains = domains
        self.layouts: dict[TableKey, Layout] = {}
        offset = 0
        for key in tables:
            shape = tuple(len(domains.of(d)) for d in key)
            strides = tuple(int(_product(shape[i + 1 :])) for i in range(len(shape)))
            layout = Layout(key, offset, shape, strides)
            self.layouts[key] = layout
            offset += layout.size
        self.size = offset
        self.value_index = {d: {v: i for i, v in enumerate(domains.of(d))} for d in Dimension}
        self.equations = self._equations()
        self.table_of = [key for key in self.layouts for _ in range(self.layouts[key].size)]

    def cell(self, key: TableKey, values: Sequence[str]) -> int:
        layout = self.layouts[key]
        return layout.index([self.value_index[d][v] for d, v in zip(key, values, strict=True)])

    def values_of(self, index: int) -> tuple[TableKey, tuple[str, ...]]:
        key = self.table_of[index]
        layout = self.layouts[key]
        rest = index - layout.offset
        values = []
        for dim, stride in zip(key, layout.strides, strict=True):
            values.append(self.domains.of(dim)[rest // stride])
            rest %= stride
        return key, tuple(values)

    def _equations(self) -> list[Equation]:
        year_of = self.domains.year_of_quarter()
        children: dict[int, list[int]] = {}
        out: list[Equation] = []
        for key, layout in self.layouts.items():
            parents: list[tuple[Layout, int, bool]] = []
            for k, dim in enumerate(key):
                parent = self.layouts.get(key[:k] + key[k + 1 :])
                if parent is not None:
                    parents.append((parent, k, False))
                if dim is Dimension.QUARTER:
                    coarse = self.layouts.get(
                        canonical([*key[:k], Dimension.PERIOD, *key[k + 1 :]])
                    )
                    if coarse is not None:
                        parents.append((coarse, k, True))
            for parent, k, to_year in parents:
                children.clear()
                for position in layout.positions():
                    if to_year:
                        up = (*position[:k], year_of[position[k]], *position[k + 1 :])
                    else:
                        up = position[:k] + position[k + 1 :]
                    children.setdefault(parent.index(up), []).append(layout.index(position))
                out.extend(Equation(p, tuple(c)) for p, c in children.items())
        return out


def _product(values: Sequence[int]) -> int:
    n = 1
    for v in values:
        n *= v
    return n

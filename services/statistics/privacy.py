"""Differential privacy of a release (OpenDP): the budget, the noise, the accuracy.

The privacy unit is one person: a release must hardly change when one person is added,
removed or changed (any attribute, or filed a day later). Each release spends
``RHO_RELEASE`` of zero-concentrated DP (zCDP), in two measurements composed in sequence:

1. ``RHO_DOMAINS``: noisy counts of every ISO nationality and every filing year, to choose
   which nationalities get their own code and where the bucket of early years ends (a
   choice made on true counts would itself tell who is there).
2. The rest: Gaussian noise added to every cell of every table of the release at once.
   One person is in one cell of each table, so a change moves ``2 × tables`` cells by
   one: the L2 sensitivity is ``√(2 × tables)``.

zCDP adds up over releases (a person is in every one): the releases published in a
calendar year may spend ``RHO_YEAR`` together, one per closed quarter (also shown as ε at
``DELTA``); a fifth is refused, whatever quarter it counts. The noisy counts are then
made consistent integers (services.statistics.consistency) — post-processing, which costs
no privacy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import opendp.prelude as dp
import pycountry

from services.statistics.dimensions import OTHER_NATIONALITY

dp.enable_features("contrib")  # the Gaussian mechanism is in OpenDP's contrib set

RHO_RELEASE = 0.5
RHO_DOMAINS = 0.05
RELEASES_PER_YEAR = 4  # one per closed quarter; a release is never redone
RHO_YEAR = RHO_RELEASE * RELEASES_PER_YEAR
DELTA = 1e-9
YEARS_BACK = 40  # filing years before reference year − 40 count as that year
Z95 = 1.959963984540054
ISO_CODES = sorted(c.alpha_2 for c in pycountry.countries if c.alpha_2 != OTHER_NATIONALITY)

_SPACE = (
    dp.vector_domain(dp.atom_domain(T=float, nan=False)),
    dp.l2_distance(T=float),
)


def _gaussian(scale: float) -> Any:
    return dp.m.make_gaussian(*_SPACE, scale=scale)


def gaussian_for(sensitivity: float, rho: float) -> tuple[Any, float]:
    """OpenDP's Gaussian measurement on a vector of counts that spends at most ``rho``
    zCDP when one person moves the vector by ``sensitivity`` (L2), and its scale."""
    scale = float(dp.binary_search_param(_gaussian, d_in=sensitivity, d_out=rho))
    measurement = _gaussian(scale)
    assert measurement.map(sensitivity) <= rho + 1e-12
    return measurement, scale


def epsilon(rho: float, delta: float = DELTA) -> float:
    """ε of (ε, δ)-DP that ``rho`` zCDP implies (OpenDP's conversion)."""
    conversion = dp.c.make_zCDP_to_approxDP(_gaussian(1.0))
    curve = conversion.map(math.sqrt(2 * rho))  # type: ignore[no-untyped-call]
    return float(curve.epsilon(delta))


def noisy(measurement: Any, counts: Sequence[float]) -> np.ndarray[Any, np.dtype[np.float64]]:
    return np.array(measurement([float(c) for c in counts]), dtype=float)


_DOMAIN_SENSITIVITY = 2.0


def domain_cutoff(threshold: int) -> float:
    """The noisy count a nationality or year needs to get its own value."""
    return threshold + 4 * gaussian_for(_DOMAIN_SENSITIVITY, RHO_DOMAINS)[1]


def choose_domains(
    nationality_counts: dict[str, int],
    year_counts: dict[int, int],
    reference_year: int,
    threshold: int,
) -> tuple[list[str], int]:
    """Nationalities and first year from noisy counts over fixed candidate lists (every
    ISO code, the last ``YEARS_BACK`` years): kept when the noisy count reaches
    ``threshold`` plus four standard deviations of the noise, so that a code nobody holds
    is kept with probability ~3·10⁻⁵ (each kept code adds a row of noise to many tables).
    One person moves one count of each list: L2 sensitivity 2 for a change."""
    codes = [*ISO_CODES, OTHER_NATIONALITY]
    position = {c: i for i, c in enumerate(codes)}
    nat = [0] * len(codes)
    for code, n in nationality_counts.items():
        nat[position.get(code, len(codes) - 1)] += n
    oldest = reference_year - YEARS_BACK
    years = [0] * (YEARS_BACK + 1)
    for year, n in year_counts.items():
        years[min(max(year, oldest), reference_year) - oldest] += n
    measurement, scale = gaussian_for(_DOMAIN_SENSITIVITY, RHO_DOMAINS)
    values = noisy(measurement, [*nat, *years])
    cutoff = threshold + 4 * scale
    kept = [c for c, v in zip(codes[:-1], values[: len(codes) - 1], strict=True) if v >= cutoff]
    first = next(
        (oldest + i for i, v in enumerate(values[len(codes) :]) if v >= cutoff), reference_year
    )
    return kept, first


@dataclass(frozen=True)
class Budget:
    rho: float  # spent by this release
    rho_year: float  # the most the releases published in a year may spend together
    rho_spent_year: float  # this release and the earlier ones published in its year
    delta: float
    epsilon: float  # of this release, at delta
    epsilon_year: float
    noise_sd: float  # of each measured cell, before post-processing

    def as_json(self) -> dict[str, float]:
        return {
            "rho": self.rho,
            "rhoYear": self.rho_year,
            "rhoSpentYear": self.rho_spent_year,
            "delta": self.delta,
            "epsilon": round(self.epsilon, 3),
            "epsilonYear": round(self.epsilon_year, 3),
            "noiseSd": round(self.noise_sd, 3),
        }


def measure_tables(
    counts: Sequence[int], tables: int
) -> tuple[np.ndarray[Any, np.dtype[np.float64]], float]:
    """Every cell of every table with Gaussian noise (the second measurement)."""
    measurement, scale = gaussian_for(math.sqrt(2 * tables), RHO_RELEASE - RHO_DOMAINS)
    return noisy(measurement, counts), scale


def budget(scale: float, spent_before: float) -> Budget:
    spent = spent_before + RHO_RELEASE
    return Budget(
        RHO_RELEASE,
        RHO_YEAR,
        spent,
        DELTA,
        epsilon(RHO_RELEASE),
        epsilon(RHO_YEAR),
        scale,
    )

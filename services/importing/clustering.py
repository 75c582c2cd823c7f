"""From scored pairs to persons: greedy clustering on descending match probability, with
vetoes that fire only on real contradictions and a guard for families.

Two groups are never joined automatically when any pair across them:
- has birth dates that disagree beyond a typo (one digit, day/month swapped), or years apart
  as a parent and a child are (in one case: never, even when the digits are one typo apart);
- has first given names that disagree beyond a typo (one edit), a joined or split compound
  name ("Mariajosé" / "María José") or a dropped second name; or different second names;
- belongs to one case with different first names (a typo apart only when the birth date
  and the sex agree): relatives;
- has different maternal surnames (swapped surnames allowed);
- would join two persons the hub already holds.
Pairs stopped this way, and pairs whose row also looks like a third, incompatible group
(the row without a birth date between a father and his son of the same name), go to the
adjudication queue with the reason in Spanish. Wrong merges are worse than missed ones.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import DamerauLevenshtein

from services.importing import normalise as n
from services.importing.linkage import MERGE_THRESHOLD, QUEUE_THRESHOLD, LinkRecord, Pair

PARENT_CHILD_YEARS = 12
PARENT_CHILD = "fechas de nacimiento con edad de padre e hijo"


@dataclass
class LinkResult:
    clusters: list[list[str]]
    queued: list[Pair]
    merged_pairs: int


def _typo(a: str, b: str) -> bool:
    return DamerauLevenshtein.distance(a, b) <= 1


def _same_given(a: list[str], b: list[str], relatives: bool) -> bool:
    """First given names agree: equal or one typo apart (two in long names of records not
    in one case: each row may carry its own typo), a compound name joined or split, or one
    side dropped the second name."""
    if not a or not b:
        return True
    if _typo(a[0], b[0]):
        return True
    long_names = min(len(a[0]), len(b[0])) >= 6
    if not relatives and long_names and DamerauLevenshtein.distance(a[0], b[0]) <= 2:
        return True
    ja, jb = "".join(a), "".join(b)
    if _typo(ja, jb):
        return True  # Mariajose / Maria Jose
    # Mariajose / Maria (second name dropped from the split form), one typo allowed
    return _typo(ja, b[0]) or _typo(jb, a[0]) or ja.startswith(jb) or jb.startswith(ja)


def _second_names_differ(a: list[str], b: list[str]) -> bool:
    if len(a) < 2 or len(b) < 2:
        return False
    if _typo("".join(a), "".join(b)):
        return False
    return not _typo(a[1], b[1])


FAMILY = "mismo expediente con nombres distintos: familiares"


def _relatives_by_name(a: LinkRecord, b: LinkRecord, counts: WordCounts) -> bool:
    """In one case, with first names that differ (by a typo too, unless a clerk's)."""
    same_case = a.case_number is not None and a.case_number == b.case_number
    fa, fb = n.key(a.given).split()[:1], n.key(b.given).split()[:1]
    return same_case and fa != fb and not (fa and fb and clerk_typo(fa[0], fb[0], counts))


WordCounts = Counter[str]


def clerk_typo(a: str, b: str, counts: WordCounts | None) -> bool:
    """One of two first names is a word almost nobody writes while the other is common
    in the same import: a clerk's typo, not a relative's name ("Alfrdo" beside "Alfredo";
    "Mario" and "María" are both common)."""
    if counts is None:
        return False
    fa, fb = counts[a], counts[b]
    return min(fa, fb) <= 2 and max(fa, fb) >= 3 * max(1, min(fa, fb))


def first_name_counts(records: Sequence[LinkRecord]) -> WordCounts:
    return Counter(g[0] for r in records if (g := n.key(r.given).split()))


def contradiction(
    a: LinkRecord,
    b: LinkRecord,
    family_evidence: bool = True,
    counts: WordCounts | None = None,
) -> str | None:
    """Why two records cannot be one person (Spanish), or None. With ``family_evidence``
    off, two members of one case whose first names are a typo apart are not refused here
    for lack of agreeing evidence (the clustering asks that of the two groups at once).
    ``counts`` (first names across the import) tell a clerk's typo from a relative."""
    same_case = a.case_number is not None and a.case_number == b.case_number
    if a.birth_date and b.birth_date and a.birth_date != b.birth_date:
        x, y = a.birth_date, b.birth_date
        swapped = x.year == y.year and x.day == y.month and x.month == y.day
        typo = _typo(x.isoformat(), y.isoformat())
        gap = abs(x.year - y.year) >= PARENT_CHILD_YEARS
        if gap and (same_case or not typo):
            return PARENT_CHILD
        if not (swapped or typo):
            return "fechas de nacimiento distintas"
    ga, gb = n.key(a.given).split(), n.key(b.given).split()
    typo = bool(ga and gb) and clerk_typo(ga[0], gb[0], counts)
    # in one case a first name two edits away is a relative, unless born the same day or
    # one of the two is a clerk's typo
    twin_day = same_case and a.birth_date is not None and a.birth_date == b.birth_date
    if not _same_given(ga, gb, same_case and not twin_day and not typo):
        return FAMILY if same_case else "nombres de pila distintos"
    if _second_names_differ(ga, gb):
        return "segundos nombres distintos"
    if same_case and ga[:1] != gb[:1]:
        # relatives share a case: first names a typo apart are one person only when the
        # sex does not differ and the birth dates (both known) are equal, or, without
        # them, the document agrees
        if a.sex and b.sex and a.sex != b.sex:
            return FAMILY
        if family_evidence and not typo and not _agree_beyond_name(a, b):
            return FAMILY
    if a.maternal and b.maternal:
        ma, mb = n.key(a.maternal), n.key(b.maternal)
        pa, pb = n.key(a.paternal or ""), n.key(b.paternal or "")
        if not _typo(ma, mb) and ma != pb and mb != pa:
            return "apellidos maternos distintos"
    return None


def _agree_beyond_name(a: LinkRecord, b: LinkRecord) -> bool:
    if a.sex and b.sex and a.sex != b.sex:
        return False
    x, y = a.birth_date, b.birth_date
    if x is not None and y is not None:
        return x == y or (x.year == y.year and x.day == y.month and x.month == y.day)
    da, db = n.doc_digits(a.doc_number), n.doc_digits(b.doc_number)
    # without both birth dates: the same document, or the very same given names (a row of
    # the group the typo'd row already joined); a sex alike is no evidence (sisters)
    if da is not None and da == db:
        return True
    return n.key(a.given) == n.key(b.given)


def cluster(
    records: Sequence[LinkRecord],
    pairs: Sequence[Pair],
    merge_threshold: float = MERGE_THRESHOLD,
    queue_threshold: float = QUEUE_THRESHOLD,
) -> LinkResult:
    by_id = {r.uid: r for r in records}
    parent = {r.uid: r.uid for r in records}
    members: dict[str, list[str]] = {r.uid: [r.uid] for r in records}
    persons: dict[str, set[int]] = {
        r.uid: ({r.person_id} if r.person_id else set()) for r in records
    }
    strong: dict[str, list[str]] = defaultdict(list)
    for p in pairs:
        if p.probability >= merge_threshold:
            strong[p.a].append(p.b)
            strong[p.b].append(p.a)

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra == rb:
            return
        if len(members[ra]) < len(members[rb]):
            ra, rb = rb, ra
        parent[rb] = ra
        members[ra].extend(members.pop(rb))
        persons[ra] |= persons.pop(rb)

    counts = first_name_counts(records)

    def conflict(ra: str, rb: str) -> str | None:
        across = [(by_id[x], by_id[y]) for x in members[ra] for y in members[rb]]
        for x, y in across:
            why = contradiction(x, y, False, counts)
            if why:
                return why
        # relatives' names a typo apart: some pair across the groups must agree beyond it
        if any(_relatives_by_name(x, y, counts) for x, y in across) and not any(
            _agree_beyond_name(x, y) for x, y in across
        ):
            return FAMILY
        return None

    def ambiguous(ra: str, rb: str) -> bool:
        """A row without a birth date on one side also matches strongly a third group that
        the other side rules out (a father and his son of the same name): an officer
        decides."""
        for side, other in ((ra, rb), (rb, ra)):
            for x in members[side]:
                if by_id[x].birth_date is not None:
                    continue
                for y in strong[x]:
                    rc = find(y)
                    if rc not in (ra, rb) and conflict(rc, other) == PARENT_CHILD:
                        return True
        return False

    # rows already attached to a person stay together
    first_of: dict[int, str] = {}
    for r in records:
        if r.person_id is not None:
            if r.person_id in first_of:
                union(first_of[r.person_id], r.uid)
            else:
                first_of[r.person_id] = r.uid

    queued: list[Pair] = []
    merged = 0
    for p in sorted(pairs, key=lambda p: (-p.probability, p.a, p.b)):
        ra, rb = find(p.a), find(p.b)
        if ra == rb:
            continue
        if p.probability < queue_threshold:
            break
        why: str | None = None
        if p.probability < merge_threshold:
            why = "probabilidad por debajo del umbral de fusión automática"
        elif persons[ra] and persons[rb] and persons[ra] != persons[rb]:
            why = "dos personas ya registradas en el hub"
        else:
            why = conflict(ra, rb)
            if why is None and ambiguous(ra, rb):
                why = "la fila se parece también a otra persona incompatible"
        if why is None:
            union(ra, rb)
            merged += 1
        else:
            p.reason = why
            queued.append(p)
    # one queue entry per pair of clusters
    seen: set[tuple[str, str]] = set()
    dedup: list[Pair] = []
    for p in queued:
        x, y = find(p.a), find(p.b)
        if x == y:
            continue
        k = (x, y) if x < y else (y, x)
        if k in seen:
            continue
        seen.add(k)
        dedup.append(p)
    return LinkResult(
        clusters=[sorted(m) for m in members.values()], queued=dedup, merged_pairs=merged
    )

"""ACLED's codebook as data: a clause is read into parts, and a decision table types it.

Two tables, both plain tab-separated text an analyst can review and extend:

* ``extract/events/cues.tsv`` — cue phrases and what each tells about an event: the **act** (clash,
  attack, explosion, abduction, protest, seizure, withdrawal, agreement, …), the **means**
  (aircraft/drone, artillery/missile, explosive, suicide attacker, grenade, chemical, firearm…),
  the **target** (armed group, civilians, property, territory, weapons, protesters), the
  **outcome** (dispersed, arrested, live fire, crowd violence, no fighting) and **contexts**
  that make a clause no event of its own (sports, disasters, court cases, background);
* ``extract/events/codebook.tsv`` — ordered rows ``act · means · who · target · outcome → event
type,
  sub-event type, confidence``, following ACLED's definitions (who acts against whom, by what
  means and with what outcome).

Who acts comes from :mod:`extract.events.actors` (state forces, police, rebels and militias,
unidentified armed groups, protesters, rioters, civilians); killed and injured outcomes come
from :mod:`extract.events.casualties`. :func:`read_clause` builds a :class:`Frame` and
:func:`decide` applies the table; :mod:`extract.events.classify` wraps both with the hedging rules.
"""

from __future__ import annotations

import logging
import re
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from re import _constants as _C  # noqa: PLC2701 - the regex parser's node kinds
from re import _parser as _P

__all__ = [
    "EVENT_TYPES",
    "CUES_PATH",
    "TABLE_PATH",
    "CodebookError",
    "Cue",
    "Frame",
    "Rule",
    "decide",
    "has_event_cue",
    "load_rules",
    "read_clause",
]

#: ACLED's taxonomy: event type → sub-event types.
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Suicide bomb",
        "Grenade",
        "Chemical weapon",
    ),
    "Violence against civilians": (
        "Attack",
        "Abduction/forced disappearance",
        "Sexual violence",
    ),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

logger = logging.getLogger(__name__)

CUES_PATH = Path(__file__).with_name("cues.tsv")
TABLE_PATH = Path(__file__).with_name("codebook.tsv")

SLOTS = ("act", "means", "target", "outcome", "context")
#: actor kinds (extract.events.actors) behind each "who" value of the table
WHO_GROUPS: dict[str, frozenset[str]] = {
    "state": frozenset({"state_forces", "police"}),
    "military": frozenset({"state_forces"}),
    "police": frozenset({"police"}),
    "nonstate": frozenset({"rebels", "political", "unknown"}),
    "armed": frozenset({"state_forces", "police", "rebels", "political", "unknown"}),
    "crowd": frozenset({"protesters", "rioters"}),
    "civilians": frozenset({"civilians"}),
}
_TARGET_KINDS = {  # an acted-upon actor of these kinds is a target of that class
    "state_forces": "armed",
    "police": "armed",
    "rebels": "armed",
    "political": "armed",
    "unknown": "armed",
    "civilians": "civilians",
    "protesters": "protesters",
}


class CodebookError(ValueError):
    """A line of the cue or decision table cannot be read."""


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue phrase found in a clause: its slot, value and offsets in the clause."""

    slot: str
    value: str
    start: int
    end: int
    text: str
    stop: int = 0  # context cues: where their scope ends (the next comma or clause end)


@dataclass(slots=True)
class Frame:
    """What a clause says about an event: its parts, each with the cues that told it."""

    cues: list[Cue] = field(default_factory=list)
    who: frozenset[str] = frozenset()  # actor kinds on the acting side
    targets_by_actor: frozenset[str] = frozenset()  # target classes from acted-upon actors
    killed: bool = False
    injured: bool = False

    def values(self, slot: str) -> set[str]:
        """The values found for ``slot`` (``"act"``, ``"means"``, ...)."""
        out = {c.value for c in self.cues if c.slot == slot}
        if slot == "target":
            out |= self.targets_by_actor
        elif slot == "outcome":
            if self.killed:
                out.add("killed")
            if self.injured:
                out.add("injured")
        return out

    def first(self, slot: str, values: Iterable[str] | None = None) -> Cue | None:
        """The earliest cue of ``slot`` (with one of ``values``), or ``None``."""
        wanted = None if values is None else set(values)
        found = [c for c in self.cues if c.slot == slot and (wanted is None or c.value in wanted)]
        return min(found, key=lambda c: c.start) if found else None


@dataclass(frozen=True, slots=True)
class _Cond:
    """One cell of the decision table."""

    any: bool = False
    none: bool = False
    negate: bool = False
    values: frozenset[str] = frozenset()
    or_none: bool = False  # "a|-": one of them, or nothing found

    @classmethod
    def parse(cls, cell: str) -> _Cond:
        cell = cell.strip()
        if cell == "*":
            return cls(any=True)
        if cell == "-":
            return cls(none=True)
        negate = cell.startswith("!")
        values = frozenset(v.strip() for v in cell.lstrip("!").split("|") if v.strip())
        or_none = "-" in values
        values -= {"-"}
        if not values:
            raise CodebookError(f"empty condition {cell!r}")
        return cls(negate=negate, values=values, or_none=or_none)

    def holds(self, found: set[str] | frozenset[str]) -> bool:
        if self.any:
            return True
        if self.none:
            return not found
        hit = bool(self.values & found) or (self.or_none and not found)
        return not hit if self.negate else hit


@dataclass(frozen=True, slots=True)
class _All:
    """Conditions joined with "&" ("mob&!protest"): all must hold."""

    parts: tuple[_Cond, ...]

    @property
    def values(self) -> frozenset[str]:
        return frozenset().union(*(p.values for p in self.parts if not p.negate))

    @property
    def negate(self) -> bool:
        return False

    def holds(self, found: set[str] | frozenset[str]) -> bool:
        return all(p.holds(found) for p in self.parts)


def _parse(cell: str) -> _Cond | _All:
    parts = [c for c in cell.split("&") if c.strip()]
    if len(parts) > 1:
        return _All(tuple(_Cond.parse(p) for p in parts))
    return _Cond.parse(cell)


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of the decision table (see ``extract/events/codebook.tsv``)."""

    act: _Cond | _All
    means: _Cond | _All
    who: _Cond | _All
    target: _Cond | _All
    outcome: _Cond | _All
    event_type: str
    sub_event_type: str
    confidence: float
    note: str
    line: int
    act_values: frozenset[str]
    means_values: frozenset[str]

    def matches(self, frame: Frame, acts: set[str], who: set[str]) -> bool:
        """Whether the row holds for ``frame`` with these acts and "who" groups."""
        parts = {slot: frame.values(slot) for slot in ("means", "target", "outcome")}
        return self.holds({**parts, "act": acts, "who": who})

    def holds(self, parts: dict[str, set[str]]) -> bool:
        """Whether the row holds for a frame's parts (``act``, ``means``, ``who``, ``target``,
        ``outcome`` → the values found)."""
        return (
            self.act.holds(parts["act"])
            and self.means.holds(parts["means"])
            and self.who.holds(parts["who"])
            and self.target.holds(parts["target"])
            and self.outcome.holds(parts["outcome"])
        )

    def trigger(self, frame: Frame) -> Cue | None:
        """The cue that names the event: the earliest act cue the row asks for, else its means."""
        if self.act_values:
            cue = frame.first("act", self.act_values)
            if cue is not None:
                return cue
        if self.means_values:
            cue = frame.first("means", self.means_values)
            if cue is not None:
                return cue
        return frame.first("act") or frame.first("means")


def _rows(path: Path) -> Iterable[tuple[int, list[str]]]:
    with path.open(encoding="utf-8") as fh:
        for no, line in enumerate(fh, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            yield no, line.rstrip("\n").split("\t")


@lru_cache(maxsize=4)
def load_cues(path: Path = CUES_PATH) -> tuple[tuple[tuple[tuple[str, str], ...], re.Pattern], ...]:
    """The cue table: ``((tags, compiled phrase), ...)`` in file order.

    Raises
    ------
    CodebookError
        A line has no tags, an unknown slot, or a phrase that is not a valid regex.
    """
    out = []
    for no, cells in _rows(path):
        if len(cells) < 2:
            raise CodebookError(f"{path.name}:{no}: expected 'tags<TAB>phrase'")
        tags = []
        for tag in cells[0].split():
            slot, _, value = tag.partition("=")
            if slot not in SLOTS or not value:
                raise CodebookError(f"{path.name}:{no}: bad tag {tag!r} (slots: {SLOTS})")
            tags.append((slot, value))
        try:
            pattern = re.compile(rf"(?<![\w-])(?:{cells[1]})(?![\w])", re.IGNORECASE)
        except re.error as exc:
            raise CodebookError(f"{path.name}:{no}: bad phrase: {exc}") from None
        out.append((tuple(tags), pattern))
    return tuple(out)


@lru_cache(maxsize=4)
def load_rules(path: Path = TABLE_PATH) -> tuple[Rule, ...]:
    """The decision table, in order.

    Raises
    ------
    CodebookError
        A row has the wrong number of cells, a bad condition or confidence, or a type that is
        not one of ACLED's.
    """
    rules = []
    for no, cells in _rows(path):
        if len(cells) < 8:
            raise CodebookError(f"{path.name}:{no}: expected 9 tab-separated cells")
        act, means, who, target, outcome, etype, sub, conf, *rest = cells
        if sub not in EVENT_TYPES.get(etype, ()):
            raise CodebookError(f"{path.name}:{no}: {sub!r} is not a sub-type of {etype!r}")
        try:
            confidence = float(conf)
        except ValueError:
            raise CodebookError(f"{path.name}:{no}: confidence {conf!r} is not a number") from None
        try:
            conds = [_parse(c) for c in (act, means, who, target, outcome)]
        except CodebookError as exc:
            raise CodebookError(f"{path.name}:{no}: {exc}") from None
        for group in conds[2].values:
            if group not in WHO_GROUPS:
                raise CodebookError(f"{path.name}:{no}: unknown who {group!r}")
        rules.append(
            Rule(
                *conds,
                event_type=etype,
                sub_event_type=sub,
                confidence=confidence,
                note=rest[0] if rest else "",
                line=no,
                act_values=conds[0].values if not conds[0].negate else frozenset(),
                means_values=conds[1].values if not conds[1].negate else frozenset(),
            )
        )
    return tuple(rules)


# --- a fast scan: cue phrases are only tried at the word starts whose first letters can
# begin one of them (the phrases' possible prefixes are read off the compiled regexes), instead
# of running ~80 regexes over every position of every clause.

_PREFIX_LEN = 4
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_WORD_START = re.compile(r"(?<![\w-])\w")


def _prefixes(items: list, i: int, prefix: str, out: set[str], budget: list[int]) -> None:
    """Every lower-case string of up to ``_PREFIX_LEN`` letters a match can start with; a
    shorter one where the regex opens with something other than a few literal letters."""
    budget[0] -= 1
    if budget[0] < 0:
        raise OverflowError
    if len(prefix) >= _PREFIX_LEN or i >= len(items):
        out.add(prefix)
        return
    op, av = items[i]
    rest = items[i + 1 :]
    if op is _C.LITERAL:
        _prefixes(items, i + 1, prefix + chr(av).lower(), out, budget)
    elif op is _C.IN:
        chars = [chr(a).lower() for o, a in av if o is _C.LITERAL]
        if len(chars) != len(av) or len(chars) > 8:
            out.add(prefix)
            return
        for ch in set(chars):
            _prefixes(items, i + 1, prefix + ch, out, budget)
    elif op is _C.BRANCH:
        for alt in av[1]:
            _prefixes([*alt, *rest], 0, prefix, out, budget)
    elif op is _C.SUBPATTERN:
        _prefixes([*av[-1], *rest], 0, prefix, out, budget)
    elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT):
        lo, hi, sub = av
        if lo == 0:
            _prefixes(items, i + 1, prefix, out, budget)
        if hi >= 1:
            again = [items[i]] if lo > 1 else []
            _prefixes([*sub, *again, *rest], 0, prefix, out, budget)
    elif op in (_C.ASSERT, _C.ASSERT_NOT, _C.AT):
        _prefixes(items, i + 1, prefix, out, budget)
    else:
        out.add(prefix)


@dataclass(frozen=True, slots=True)
class _Index:
    by_prefix: tuple[dict[str, tuple[int, ...]], ...]  # per prefix length 1..4
    anywhere: tuple[int, ...]  # lines whose start could not be read: always searched
    event_lines: frozenset[int]  # lines with an act or means tag


@lru_cache(maxsize=4)
def _index(path: Path = CUES_PATH) -> _Index:
    table: list[dict[str, list[int]]] = [{} for _ in range(_PREFIX_LEN)]
    anywhere = []
    for no, (_tags, pattern) in enumerate(load_cues(path)):
        found: set[str] = set()
        try:
            _prefixes(list(_P.parse(pattern.pattern, re.IGNORECASE)), 0, "", found, [50_000])
        except OverflowError:
            found = {""}
        if "" in found:
            anywhere.append(no)
            continue
        for prefix in found:
            table[len(prefix) - 1].setdefault(prefix, []).append(no)
    events = frozenset(
        no
        for no, (tags, _) in enumerate(load_cues(path))
        if any(slot in ("act", "means") for slot, _ in tags)
    )
    return _Index(
        tuple({k: tuple(v) for k, v in t.items()} for t in table), tuple(anywhere), events
    )


@lru_cache(maxsize=512)
def _scan(text: str) -> tuple[tuple[int, int, int, str], ...]:
    """(cue line, start, end, matched text) for every cue phrase in ``text``. Cached: a
    sentence is looked at first, then read whole as a clause or as the context of one."""
    cues = load_cues()
    index = _index()
    low = text.translate(_ASCII_LOWER)  # same length as text
    out: list[tuple[int, int, int, str]] = []
    for m in _WORD_START.finditer(low):
        pos = m.start()
        lines: set[int] = set()
        for length, table in enumerate(index.by_prefix, 1):
            hit = table.get(low[pos : pos + length])
            if hit:
                lines.update(hit)
        for no in lines:
            found = cues[no][1].match(text, pos)
            if found is not None:
                out.append((no, found.start(), found.end(), found.group(0)))
    for no in index.anywhere:
        out.extend((no, f.start(), f.end(), f.group(0)) for f in cues[no][1].finditer(text))
    return tuple(out)


@lru_cache(maxsize=1024)
def has_event_cue(text: str) -> bool:
    """A cheap first look: does ``text`` hold any act or means phrase of the cue table? (Only
    the act and means phrases are tried, and the first one found answers.)"""
    cues = load_cues()
    index = _event_index()
    low = text.translate(_ASCII_LOWER)
    for m in _event_starts().finditer(low):  # the word starts that can open an event phrase
        pos = m.start()
        for length, table in enumerate(index.by_prefix, 1):
            for no in table.get(low[pos : pos + length], ()):
                if cues[no][1].match(text, pos) is not None:
                    return True
    return any(cues[no][1].search(text) for no in index.anywhere)


@lru_cache(maxsize=4)
def _event_starts(path: Path = CUES_PATH) -> re.Pattern[str]:
    """One regex of the prefixes an act or means phrase can start with, at word starts."""
    prefixes = {p for table in _event_index(path).by_prefix for p in table}
    return re.compile(rf"(?<![\w-])(?=(?:{_trie_regex(prefixes)}))")  # zero-width: no overlaps lost


def _trie_regex(words: set[str]) -> str:
    """An alternation of ``words`` nested as a trie ("ab|ac" → "a(?:b|c)"): the regex engine
    then tries one branch per letter instead of every word."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


@lru_cache(maxsize=4)
def _event_index(path: Path = CUES_PATH) -> _Index:
    """The prefix index of the act and means phrases only."""
    full = _index(path)
    keep = full.event_lines
    tables = tuple(
        {k: tuple(no for no in v if no in keep) for k, v in t.items() if set(v) & keep}
        for t in full.by_prefix
    )
    return _Index(tables, tuple(no for no in full.anywhere if no in keep), keep)


_SCOPE_END = re.compile(r"[,;:()—–]")


def read_clause(
    clause: str,
    *,
    keep: Callable[[Cue], bool] | None = None,
    who: Iterable[str] = (),
    acted_upon: Iterable[str] = (),
    killed: bool = False,
    injured: bool = False,
) -> Frame:
    """The parts of the event a clause reports.

    Parameters
    ----------
    clause
        One clause or short sentence.
    keep
        Filter for the cues found (e.g. drop hedged or negated ones); all kept when ``None``.
    who
        Actor kinds of the acting side (:mod:`extract.events.actors`).
    acted_upon
        Actor kinds of the side acted upon: they become targets.
    killed, injured
        Whether the clause reports people killed or injured.
    """
    cues: list[Cue] = []
    table = load_cues()
    for no, m_start, m_end, m_text in _scan(clause):
        for slot, value in table[no][0]:
            stop = len(clause)
            if slot == "context" and value in ("background", "legal"):
                comma = _SCOPE_END.search(clause, m_end)
                stop = comma.start() if comma else len(clause)
            cue = Cue(slot, value, m_start, m_end, m_text, stop)
            if keep is None or keep(cue):
                cues.append(cue)
    cues.sort(key=lambda c: (c.start, -c.end))
    targets = frozenset(_TARGET_KINDS[k] for k in acted_upon if k in _TARGET_KINDS)
    return Frame(
        cues=cues,
        who=frozenset(who),
        targets_by_actor=targets,
        killed=killed,
        injured=injured,
    )


def _who_groups(kinds: frozenset[str]) -> set[str]:
    return {g for g, members in WHO_GROUPS.items() if kinds & members}


def decide(frame: Frame) -> tuple[Rule, Cue] | None:
    """The first row of the decision table that the frame satisfies, with its trigger cue."""
    parts = {slot: frame.values(slot) for slot in ("act", "means", "target", "outcome")}
    if not parts["act"] and not parts["means"]:
        return None
    parts["who"] = _who_groups(frame.who)
    for rule in load_rules():
        if not rule.holds(parts):
            continue
        trigger = rule.trigger(frame)
        if trigger is None:
            continue
        return rule, trigger
    return None

"""What a question pins down, and whether a piece of evidence holds it.

News archives are made of recurring events: every year has a Wimbledon, every quarter a revenue
figure, every season a premiere. A sentence that states "the answer" for another year is the
most convincing wrong citation there is, so the question's pins are extracted once and every
stage holds them: retrieval ranks passages that meet them first, the evidence shown to the
model is chosen with them, and a claim stands only when its evidence meets every one.

Kinds (all found by general rules, no word lists tied to particular questions):
- year: "2013", "in 2021", "(2018)";
- quarter / half: "Q2 2020", "second quarter", "first-half", "H1";
- ordinal: an edition or instalment, "92nd Academy Awards", "season 4", "first season",
  "Part II", "No 1";
- number: any other number of the question ("Diablo 3", "iPhone 11");
- date: a day of a month ("April 19", "19 April");
- qualifier: men's / women's, singles / doubles (one excludes the other);
- name: the question's proper names ("U.S. Open", "Tesla"). Retrieval ranks by them (each at half
  the weight of another pin: NAME_WEIGHT); evidence must
  hold most of them (NAME_SHARE) when the question names several (MIN_NAMES), not each: a
  title-cased question ("the 92nd Academy Awards Ceremony") names more than any passage repeats,
  and one or two names are often written otherwise ("U.S." for "US", "Russia" for "Russian").

Evidence is a sentence with its context (the passage, the article's title) and the article's
date. A pin is *met* when the sentence states it, or when the sentence states nothing that
rivals it and its context (or, for a year, the article's date) states it. A pin is *contradicted*
when the evidence states a rival value (another year, quarter or qualifier) and not the asked
one: that is what an honest near miss reports ("they give 2021, not 2019").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from qa.answer.text import content_terms, normalise

ORDINAL_WORDS = {w: i for i, w in enumerate(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split())}
NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9

# Words that number an instalment of something: "season 4", "Part II", "No. 1".
_SERIES = r"(?:season|series|part|episode|chapter|volume|vol|edition|round|stage|game|no|number)"
_ROMAN = re.compile(r"\b(?=[MDCLXVI]{2,}\b)M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})\b")
_YEAR = re.compile(r"(?<![\d.,$£€])\b(1[89]\d\d|20\d\d)\b(?![.,]\d)")
_QUARTER = re.compile(r"\bq([1-4])\b|\b([1-4])q\b|\b(first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarter\b")
_HALF = re.compile(r"\bh([12])\b|\b(first|second|1st|2nd)[\s-]+half\b")
_ORDINAL = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th)\b")
_ORDINAL_WORD = re.compile(r"\b(" + "|".join(ORDINAL_WORDS) + r")[\s-]+(?=" + _SERIES + r"|annual\b)")
_SERIES_NUMBER = re.compile(r"\b" + _SERIES + r"\.?\s+(\d{1,3}|" + "|".join(NUMBER_WORDS) + r")\b")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?!\w)")
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + "|".join(MONTHS) + r")\b\.?")
_MONTH_DAY = re.compile(r"\b(" + "|".join(MONTHS) + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b")

# Qualifiers that exclude one another: an answer about the men's final is no answer about the women's.
RIVAL_QUALIFIERS = (("men", "women"), ("boys", "girls"), ("singles", "doubles"))
_QUALIFIER = re.compile(r"\b(" + "|".join(w for pair in RIVAL_QUALIFIERS for w in pair) + r")(?:'s)?\b")

# Capitalised words that do not name anything ("Who", "The", a month): not name pins.
_NOT_NAMES = content_terms(
    "who whom whose what which when where why how is are was were did does do the a an in on at of for "
    "and or to by from with as it its their his her this that these those name list tell give many much "
    "monday tuesday wednesday thursday friday saturday sunday " + " ".join(MONTHS))
_NAME = re.compile(r"(?<![\w'’])([A-Z][\w'’.&-]*(?:\s+(?:of\s+|the\s+|de\s+)?[A-Z][\w'’.&-]*)*)")


@dataclass(frozen=True)
class Pin:
    kind: str  # year | quarter | half | ordinal | number | date | qualifier | name
    value: str  # canonical: "2021", "2", "92", "04-19", "women", "tesla"
    text: str  # as the question says it

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Check:
    """How evidence stands against the question's pins."""

    met: bool
    missing: tuple[Pin, ...] = ()
    rivals: tuple[tuple[Pin, str], ...] = ()  # (asked pin, the value the evidence gives instead)

    @property
    def contradicted(self) -> bool:
        return bool(self.rivals)


@dataclass(frozen=True)
class Constraints:
    pins: tuple[Pin, ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return bool(self.pins)

    def of(self, *kinds: str) -> list[Pin]:
        return [p for p in self.pins if p.kind in kinds]

    @property
    def years(self) -> frozenset[str]:
        return frozenset(p.value for p in self.of("year"))

    def check(self, sentence: str, context: str = "", date: str = "") -> Check:
        """Does a sentence (with its passage/title as context and its article's ISO date) hold every pin?"""
        if not self.pins:
            return Check(True)
        said, around = Facts.of(sentence), Facts.of(context)
        missing, rivals, names_missing = [], [], []
        for pin in self.pins:
            verdict = _judge(pin, said, around, date)
            if verdict is True:
                continue
            if isinstance(verdict, str):
                rivals.append((pin, verdict))
            (names_missing if pin.kind == "name" else missing).append(pin)
        names = self.of("name")
        if len(names) >= MIN_NAMES and len(names) - len(names_missing) < NAME_SHARE * len(names):
            missing += names_missing  # a name or two may be put otherwise ("the Oscars" for "Academy Awards Ceremony")
        return Check(not missing, tuple(missing), tuple(rivals))

    def score(self, text: str, date: str = "") -> float:
        """Weighted share of the pins a passage holds (retrieval ranks by it), a name counting NAME_WEIGHT;
        1.0 when there are none."""
        if not self.pins:
            return 1.0
        facts = Facts.of(text)
        return sum(_weight(p) * (_judge(p, facts, Facts(), date) is True) for p in self.pins) / sum(map(_weight, self.pins))


NAME_WEIGHT = 0.5  # a name counts half any other pin in retrieval's share: a snippet may leave out whom it is about,
# verification asks no name of a question that gives one or two (MIN_NAMES), and the year tells recurring events apart


def _weight(pin: Pin) -> float:
    return NAME_WEIGHT if pin.kind == "name" else 1.0


NAME_SHARE = 2 / 3  # share of the question's names the evidence (sentence, passage, title) must hold…
MIN_NAMES = 3  # …when it names at least this many: with one or two ("US", "Russian") a passage saying "U.S."
# or "Russia" would fail; measured on the seed report half, requiring them refused 4 right answers


# Where a sentence sets another year's figure beside its own: "$345m, up from $66m during the same
# period in 2003", "compared with $4bn in 2003". Not any "from" or "than": "more than £1.34bn in 2004" is of 2004.
_COMPARED = re.compile(r"\b(?:(?:up|down|rose|fell|risen|fallen|rising|falling|increased?|decreased?|grew|dropped|jumped|climbed) from"
                       r"|compared (?:with|to)|than (?:in|during|for|the same|a year)|versus|vs)\b"
                       r"(?:(?!(?:1[89]|20)\d\d)[^;:()]){0,40}?\b(?:1[89]|20)\d\d\b", re.IGNORECASE)


def beside_the_compared(sentence: str, answer: str) -> str:
    """The sentence without the other year's figure it compares with, unless that is the answer: the
    year of "up from $66m in 2003" is not the year of the $345m the sentence reports, but it is the
    year of "$10.4 billion" in "…compared to $10.4 billion in revenue in Q1 2021"."""
    said = normalise(answer)
    return _COMPARED.sub(lambda m: m.group(0) if said and said in normalise(m.group(0)) else " ", sentence)


def extract(question: str) -> Constraints:
    """The question's pins, each once, in the order the question gives them."""
    low = normalise(question)
    pins: list[Pin] = []
    taken: list[tuple[int, int]] = []  # spans already read as one pin, so "Q2" is not also "2"

    def add(kind: str, value, m: re.Match, text: str | None = None) -> None:
        taken.append(m.span())
        pin = Pin(kind, str(value), text or m.group(0).strip())
        if all((p.kind, p.value) != (pin.kind, pin.value) for p in pins):
            pins.append(pin)

    free = lambda m: all(m.end() <= a or m.start() >= b for a, b in taken)  # noqa: E731
    for m in _QUARTER.finditer(low):
        add("quarter", _index(m), m)
    for m in _HALF.finditer(low):
        add("half", _index(m), m)
    for m in _DAY_MONTH.finditer(low):
        add("date", f"{MONTHS[m.group(2)]:02d}-{int(m.group(1)):02d}", m)
    for m in _MONTH_DAY.finditer(low):
        if free(m):
            add("date", f"{MONTHS[m.group(1)]:02d}-{int(m.group(2)):02d}", m)
    for m in _YEAR.finditer(low):
        if free(m):
            add("year", m.group(1), m)
    for m in _ORDINAL.finditer(low):
        if free(m):
            add("ordinal", int(m.group(1)), m)
    for m in _ORDINAL_WORD.finditer(low):
        if free(m):
            add("ordinal", ORDINAL_WORDS[m.group(1)], m)
    for m in _SERIES_NUMBER.finditer(low):
        if free(m):
            add("ordinal", _as_int(m.group(1)), m)
    for m in _ROMAN.finditer(question):
        add("number", _roman(m.group(0)), m)  # spans of the original text; numerals are ASCII
    for m in _NUMBER.finditer(low):
        if free(m):
            add("number", m.group(0).replace(",", ""), m)
    for m in _QUALIFIER.finditer(low):
        add("qualifier", m.group(1), m)
    for name in names(question):
        pins.append(Pin("name", name, name))
    return Constraints(tuple(pins))


def names(question: str) -> list[str]:
    """Proper names in the question, as content terms ("Rubio's warning" -> "rubio"); question
    words, function words and single letters ("U.S." reads as "open" of "U.S. Open") aside."""
    found: list[str] = []
    for m in _NAME.finditer(question):
        for term in sorted(content_terms(m.group(1)) - _NOT_NAMES, key=m.group(1).lower().find):
            if len(term) > 1 and not any(ch.isdigit() for ch in term) and term not in found:  # numbers are pins of their own
                found.append(term)
    return found


# --- what a text states --------------------------------------------------------------------------
@dataclass(frozen=True)
class Facts:
    """The pin-like values a text states, read once per text."""

    years: frozenset = frozenset()
    quarters: frozenset = frozenset()
    halves: frozenset = frozenset()
    ordinals: frozenset = frozenset()
    numbers: frozenset = frozenset()
    dates: frozenset = frozenset()
    months: frozenset = frozenset()
    qualifiers: frozenset = frozenset()
    terms: frozenset = frozenset()

    @staticmethod
    @lru_cache(maxsize=8192)
    def of(text: str) -> "Facts":
        if not text:
            return Facts()
        low = normalise(text)
        ordinals = {int(m.group(1)) for m in _ORDINAL.finditer(low)}
        ordinals |= {ORDINAL_WORDS[w] for w in re.findall(r"\b(" + "|".join(ORDINAL_WORDS) + r")\b", low)}
        ordinals |= {_as_int(m.group(1)) for m in _SERIES_NUMBER.finditer(low)}
        romans = {_roman(m.group(0)) for m in _ROMAN.finditer(text)}
        plain = {m.group(0).replace(",", "") for m in _NUMBER.finditer(low)}
        dates = {f"{MONTHS[m.group(2)]:02d}-{int(m.group(1)):02d}" for m in _DAY_MONTH.finditer(low)}
        dates |= {f"{MONTHS[m.group(1)]:02d}-{int(m.group(2)):02d}" for m in _MONTH_DAY.finditer(low)}
        return Facts(
            years=frozenset(m.group(1) for m in _YEAR.finditer(low)),
            quarters=frozenset(_index(m) for m in _QUARTER.finditer(low)),
            halves=frozenset(_index(m) for m in _HALF.finditer(low)),
            ordinals=frozenset(str(o) for o in ordinals | romans),
            numbers=frozenset(plain | {str(r) for r in romans} | {str(o) for o in ordinals}
                              | {str(NUMBER_WORDS[w]) for w in re.findall(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", low)}),
            dates=frozenset(dates),
            months=frozenset(str(MONTHS[w]) for w in re.findall(r"\b(" + "|".join(MONTHS) + r")\b", low)),
            qualifiers=frozenset(re.findall(_QUALIFIER.pattern, low)),
            terms=frozenset(content_terms(text)),
        )


def _judge(pin: Pin, said: Facts, around: Facts, date: str):
    """True when the pin is met; else the rival value the evidence gives (a str), or False."""
    if pin.kind == "name":
        return pin.value in said.terms or pin.value in around.terms
    if pin.kind == "number":
        return pin.value in said.numbers or pin.value in around.numbers
    if pin.kind == "ordinal":
        return pin.value in said.ordinals or pin.value in around.ordinals or pin.value in said.numbers
    values = {"year": "years", "quarter": "quarters", "half": "halves", "date": "dates", "qualifier": "qualifiers"}
    here, there = getattr(said, values[pin.kind]), getattr(around, values[pin.kind])
    if pin.kind == "qualifier":
        rival = _rival_qualifier(pin.value)
        if pin.value in here or (pin.value in there and rival not in here):
            return True
        return rival if rival in here or rival in there else True  # unqualified evidence is not a rival
    if pin.value in here:
        return True
    if here:
        return sorted(here)[0] if pin.kind != "date" else False  # the sentence speaks of another one
    if pin.value in there:
        return True
    if pin.kind == "year" and date[:4].isdigit():
        return True if date[:4] == pin.value else date[:4]
    if pin.kind == "year" and len(there) == 1:
        return next(iter(there))  # the passage speaks of one other year only
    return False


def _rival_qualifier(value: str) -> str:
    for a, b in RIVAL_QUALIFIERS:
        if value in (a, b):
            return b if value == a else a
    return ""


def _index(m: re.Match) -> str:
    raw = next(g for g in m.groups() if g)
    return str({"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}.get(raw, raw))


def _as_int(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word]


def _roman(numeral: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for a, b in zip(numeral, numeral[1:] + " "):
        total += -values[a] if b != " " and values[a] < values[b] else values[a]
    return total

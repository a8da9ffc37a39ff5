"""Relative dates ("on Thursday", "next Thursday", "yesterday") read against an article's date."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from qa.answer.constraints import MONTHS

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_PATTERN = re.compile(
    r"\b(?:(?P<mod>next|last|this|on)\s+)?(?P<day>monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)\b|\b(?P<rel>yesterday|today|tomorrow)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ResolvedDate:
    expression: str
    date: str  # ISO
    start: int
    end: int

    def human(self) -> str:
        d = date.fromisoformat(self.date)
        return f"{WEEKDAYS[d.weekday()].capitalize()}, {d.day} {d.strftime('%B')} {d.year}"


def resolve(text: str, article_date: str) -> list[ResolvedDate]:
    """Absolute dates for the relative expressions in text, given the article's ISO date.

    A bare or "on"/"last" weekday in news copy is the latest such day up to the article's date
    (a Saturday story's "on Friday" is the day before); "next" is the first one after.
    """
    if not article_date:
        return []
    try:
        anchor = date.fromisoformat(article_date)
    except ValueError:
        return []
    found = []
    for m in _PATTERN.finditer(text):
        if m.group("rel"):
            offset = {"yesterday": -1, "today": 0, "tomorrow": 1}[m.group("rel").lower()]
            when = anchor + timedelta(days=offset)
        else:
            wanted = WEEKDAYS.index(m.group("day").lower())
            mod = (m.group("mod") or "").lower()
            if mod == "next":
                when = anchor + timedelta(days=(wanted - anchor.weekday() - 1) % 7 + 1)
            else:
                back = (anchor.weekday() - wanted) % 7
                if mod == "last" and back == 0:
                    back = 7
                when = anchor - timedelta(days=back)
        found.append(ResolvedDate(m.group(0), when.isoformat(), m.start(), m.end()))
    return found


_DAY_OF_MONTH = re.compile(r"^(?:(?P<m1>[a-z]{3,9})\.? (?P<d1>\d{1,2})(?:st|nd|rd|th)?|(?P<d2>\d{1,2})(?:st|nd|rd|th)? "
                           r"(?:of )?(?P<m2>[a-z]{3,9}))$", re.IGNORECASE)


def year_of(day: str, article_date: str) -> int | None:
    """The year of a day given without one ("April 29", "29 April"), read against the article's ISO
    date: the year that puts that day nearest the article's date (a June story's "April 29" is this
    year's, a January story's "December 30" last year's). None when `day` is not such a day."""
    m = _DAY_OF_MONTH.match(day.strip())
    month = MONTHS.get((m["m1"] or m["m2"]).lower()) if m else None
    if not month:
        return None
    try:
        anchor = date.fromisoformat(article_date)
    except ValueError:
        return None
    best = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            gap = abs((date(year, month, int(m["d1"] or m["d2"])) - anchor).days)
        except ValueError:  # no such day that year
            continue
        if best is None or gap < best[0]:
            best = (gap, year)
    return best[1] if best else None

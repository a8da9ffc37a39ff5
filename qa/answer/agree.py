"""Do two short answers say the same thing? Names, amounts and dates compared as values.

"Pogačar" and "Tadej Pogačar", "U.S." and "United States", "$6.04 billion" and "6,036 million
dollars", "Nov. 12, 2020" and "November 12, 2020" agree: a false "the articles differ" is worse
than a missed one. Two answers differ only when their values do.
"""
from __future__ import annotations

import re
import unicodedata

from qa.answer.constraints import MONTHS
from qa.answer.kinds import AMOUNT, FIGURE
from qa.answer.text import content_terms, numbers

_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9,
          "trillion": 1e12, "tn": 1e12}
_CURRENCY = {"$": "usd", "us$": "usd", "dollar": "usd", "dollars": "usd", "usd": "usd", "£": "gbp", "pound": "gbp",
             "pounds": "gbp", "sterling": "gbp", "gbp": "gbp", "€": "eur", "euro": "eur", "euros": "eur", "eur": "eur",
             "¥": "jpy", "yen": "jpy", "%": "%", "percent": "%", "per cent": "%"}
# One spelling for the names the news writes two ways.
_ALIASES = {"united states": "us", "u s": "us", "usa": "us", "america": "us", "united kingdom": "uk", "u k": "uk",
            "britain": "uk", "great britain": "uk", "european union": "eu", "e u": "eu"}
_DAY_MONTH_YEAR = re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?,?\s*(\d{4})?")
_MONTH_YEAR = re.compile(r"([a-z]+)\.?,?\s+(\d{4})\b")
_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?!\d)(?:st|nd|rd|th)?,?\s*(\d{4})?")


def agree(a: str, b: str) -> bool:
    """Same value: equal amounts (within 1%), equal dates, or the same name (one holds the other)."""
    date_a, date_b = calendar_date(a), calendar_date(b)
    if date_a and date_b:  # before amounts: "May 5, 2020" is not the amount 5
        return all(x == y or not x or not y for x, y in zip(date_a, date_b))
    amount_a, amount_b = amount(a), amount(b)
    if amount_a and amount_b:
        (va, ca), (vb, cb) = amount_a, amount_b
        return (ca == cb or not ca or not cb) and abs(va - vb) <= 0.01 * max(abs(va), abs(vb))
    ta, tb = _terms(a), _terms(b)
    if not ta or not tb or (numbers(a) and numbers(b) and numbers(a) != numbers(b)):  # "two" / "three diplomats"
        return False
    return ta <= tb or tb <= ta or len(ta & tb) / min(len(ta), len(tb)) >= 0.5


def amount(text: str) -> tuple[float, str] | None:
    """(value in units, currency or unit) of the first quantity in the text, e.g. (6.04e9, "usd")."""
    for m in AMOUNT.finditer(text):
        raw = m.group(0).lower()
        number = FIGURE.search(raw)
        if not number:
            continue
        value = float(number.group(0).replace(",", ""))
        rest = raw[number.end():]
        scale = re.match(r"\s?(thousand|million|billion|trillion|mn|bn|tn|m|b|k)\b", rest)
        if scale:
            value *= _SCALE[scale.group(1)]
        unit = next((code for word, code in _CURRENCY.items() if word in raw), "")
        return value, unit
    return None


def calendar_date(text: str) -> tuple[int, int, int] | None:
    """(year or 0, month, day or 0) of the first date in the text."""
    low = unicodedata.normalize("NFKC", text).lower()
    for pattern, order in ((_MONTH_DAY_YEAR, "mdy"), (_DAY_MONTH_YEAR, "dmy"), (_MONTH_YEAR, "my")):
        for m in pattern.finditer(low):
            parts = dict(zip(order, m.groups()))
            month = MONTHS.get(parts["m"].rstrip("."))
            if month:
                return int(parts.get("y") or 0), month, int(parts.get("d") or 0)
    return None


def _terms(text: str) -> set[str]:
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    folded = re.sub(r"[.]", " ", folded)
    for name, short in _ALIASES.items():
        folded = re.sub(rf"\b{name}\b", short, folded)
    return content_terms(folded)

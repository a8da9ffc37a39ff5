"""What kind of answer a question asks for, and whether an answer (or a sentence) is of that kind.

A who-question is answered by a person or organisation, a when-question by a date, a how-much
question by an amount with its currency or unit, a how-many question by a count. An answer of
another kind is no answer, however well its words are backed by the passage: "April 19" for
"Who met Rubio?" is dropped like an unsupported claim.
"""
from __future__ import annotations

import re

from qa.answer.constraints import MONTHS, NUMBER_WORDS
from qa.answer.text import STOPWORDS, content_terms, normalise, numbers

_WHO = re.compile(r"^\s*(?:who|whom|whose)\b|\b(?:by|to|with|from) whom\b|\bnames? of\b|^\s*(?:which|what) (?:person|people|company|"
                  r"firm|team|club|country|nation|player|actor|actress|director|minister|official|leader|group|"
                  r"organi[sz]ation|agency|newspaper|outlet|band|singer|president|ceo|chairman|coach|manager)\b",
                  re.IGNORECASE)
_WHEN = re.compile(r"^\s*when\b|\b(?:what|which) (?:day|date|year|month|time(?![ -](?:frame|span|period|scale|limit)))\b|\bwhen (?:did|was|were|is|will|does|do)\b"
                   r"|\brelease date\b|\bdate of\b", re.IGNORECASE)
_AMOUNT = re.compile(r"\bhow much\b|\b(?:what|which) (?:was |is |were |are |will be )?(?:[\w.-]+(?:'s|’s)? ){0,3}?"
                     r"(?:price|cost|amount|value|revenue|sales|turnover|sum|fee|salary|budget|profit|loss|fine|bid|"
                     r"valuation|deficit|debt)s?\b", re.IGNORECASE)
_COUNT = re.compile(r"\bhow many\b|\b(?:what|which) (?:number|percentage|proportion|share)\b", re.IGNORECASE)
# "How long…", "Within what time frame…": a span of time is asked ("three weeks", "a matter of days",
# "until April"), not a calendar date nor a bare count. "How long ago" asks when.
_DURATION = re.compile(r"\bhow long\b(?! ago)|\bwithin how\b|\b(?:what|which) (?:time[ -]?(?:frame|span|scale|limit)|period|length of time)\b",
                       re.IGNORECASE)
_WHERE = re.compile(r"^\s*where\b|\b(?:which|what) (?:\w+ )?(?:city|cities|towns?|country|countries|places?|venues?|"
                    r"stadium|regions?|states?)\b",
                    re.IGNORECASE)

_SPAN = re.compile(r"\b(?:seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|years?|decades?|seasons?|overnight|"
                   r"indefinitely|permanently)\b")

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_WORDS = [m for m in MONTHS if m != "may"] + [r"may(?= \d)", r"(?<=\d )may"]  # not the verb
_DATE_WORDS = re.compile(r"\b(?:" + "|".join((*_MONTH_WORDS, *WEEKDAYS)) + r"|yesterday|today|tomorrow|tonight|"
                         r"(?:last|next|this) (?:week|month|year|weekend)|spring|summer|autumn|fall|winter|"
                         r"(?:1[89]|20)\d\d|\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?|\d{4}-\d{2}-\d{2})\b")
_NUMBER = re.compile(r"\d|\b(?:" + "|".join(NUMBER_WORDS) + r"|thirty|forty|fifty|sixty|seventy|eighty|ninety|dozens?|"
                     r"hundreds?|thousands?|millions?|billions?)\b")
CURRENCY = r"(?:US\$|A\$|C\$|HK\$|[$£€¥₹₽]|(?<![a-z])(?:Rs\.?|EUR|USD|GBP)(?![a-z]))"  # codes as words: not "Rs" of "years"
SCALE = r"(?:thousand|million|billion|trillion|mn|bn|tn|m|b|k)"
MONEY_WORDS = r"dollars?|euros?|pounds?|sterling|yen|yuan|rupees?|roubles?|rubles?|francs?|pesos?|won|cents?|pence"
UNIT = (rf"(?:{MONEY_WORDS}|p|%|per ?cent|percentage points?|points?|tonnes?|tons?|barrels?|kilometres?|km|miles?|"
        r"kg|kilograms?|metres?|meters?|hours?|days?|weeks?|months?|years?|people|votes?|shares?|units?)")
# A how-much question about a payment asks for a sum of money: "3 years" (of a contract) is an
# amount, but not of what was paid. A change ("by how much did it cost more") may be a percentage, so it is left out.
_MONEY = re.compile(r"^(?!.*\bby how much\b).*\b(?:pay|pays|paid|paying|cost|costs|costing|spend|spends|spent|"
                    r"spending|worth|(?:sell|sold|buy|bought) (?:it |them )?for|fined?|fees?|salary|compensation|"
                    r"damages|sue|sued|suing)\b", re.IGNORECASE)
_MONEY_UNIT = re.compile(rf"{CURRENCY}|\b(?:{MONEY_WORDS})\b|\d\s?p\b", re.IGNORECASE)
# A quantity as the news writes it: "$1.65 billion", "4.1 million euros", "£593.4bn", "5%", "40 per cent".
AMOUNT = re.compile(rf"(?:{CURRENCY}\s?)?\d[\d,]*(?:\.\d+)?(?:\s?{SCALE}\b)?(?:\s?{UNIT}(?![a-z]))?", re.IGNORECASE)
FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?")  # the number of a quantity: "1,234.5" of "$1,234.5m"


def kind_of(question: str) -> str:
    """person | date | amount | count | duration | place | any. "What is the name of …" asks for a name, as
    who does: an answer must name someone or something the question does not."""
    if _AMOUNT.search(question):
        return "amount"
    if _COUNT.search(question):
        return "count"
    if _DURATION.search(question):
        return "duration"
    if _WHEN.search(question):
        return "date"
    if _WHO.search(question):
        return "person"
    if _WHERE.search(question):
        return "place"
    return "any"


# Questions about an article itself (its date, outlet, headline), which its metadata can answer.
_ABOUT_ARTICLE = re.compile(r"\b(?:dated|published|filed|outlet|news agency|headline|title|byline)\b"
                            r"|\b(?:which|what) (?:agency|newspaper|site|portal)\b", re.IGNORECASE)


def about_the_article(question: str) -> bool:
    """Does the question ask about an article itself, which its metadata can answer? Otherwise
    the metadata is no evidence: an article's date is not the date of the events it reports."""
    return bool(_ABOUT_ARTICLE.search(question))


# "On what date…", "Which day…": a day is asked, so "later this month" or "April" is another answer's
# near miss, not this one. A day: a weekday, yesterday/today/tomorrow, or a month with its day number.
_DAY_ASKED = re.compile(r"\b(?:what|which) (?:day|date)\b|\bdate of\b|\brelease date\b", re.IGNORECASE)
_ALL_MONTHS = "|".join(MONTHS)
_A_DAY = re.compile(rf"\b(?:{'|'.join(WEEKDAYS)}|yesterday|today|tomorrow|tonight)\b|\b(?:{_ALL_MONTHS})\.? \d{{1,2}}\b"
                    rf"|\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{_ALL_MONTHS})\b"
                    r"|\b(?:\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[.-]\d{1,2}[.-]\d{2,4})\b")  # not "1-0", "2.5"


# An either-or question names its two possible answers: "…directed at Kyiv or at Moscow?"
_NAME = r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3}"
_EITHER_OR = re.compile(rf"({_NAME}),? or (?:(?:at|in|on|to|by|from|with|for|against) )?(?:the )?({_NAME})\W*$")


_CHOICE = re.compile(r"(?:^|[,;:] )(?:were|was|is|are|did|does|do|has|have|had|will|would|can|could|should|which|who|whom)\b",
                     re.IGNORECASE)  # "Were the threats directed at…", "Which …": a choice; "What did … say about X or Y?" is not


def alternatives(question: str) -> tuple[str, str] | None:
    """The two names an either-or question offers, or None for any other question."""
    m = _EITHER_OR.search(question.strip())
    return (m.group(1), m.group(2)) if m and _CHOICE.search(question) else None


def chosen_alternative(answer: str, question: str) -> int | None:
    """Which of an either-or question's alternatives the answer is (0 or 1): such an answer is
    new, though the question names it. None when the question offers none or the answer is neither."""
    offered = alternatives(question)
    if not offered:
        return None
    said = content_terms(answer)
    hits = [i for i, name in enumerate(offered) if said and said <= content_terms(name)]
    return hits[0] if len(hits) == 1 else None


def fits(question: str, answer: str) -> bool:
    """Is the answer of the kind the question asks for (and more than the question's own names)?"""
    if chosen_alternative(answer, question) is not None:
        return True  # one of the names an either-or question offers
    kind = kind_of(question)
    if kind == "date":  # a date the question does not give itself ("2011" of "…the 2011 World Cup?" is no answer)
        pattern = _A_DAY if _DAY_ASKED.search(question) else _DATE_WORDS
        given = {m.group(0) for m in pattern.finditer(normalise(question))}
        return any(m.group(0) not in given for m in pattern.finditer(normalise(answer)))
    if kind == "count":
        return bool(_NUMBER.search(normalise(answer)))
    if kind == "duration":  # a span, or the day or year it lasts until
        return bool(_SPAN.search(normalise(answer)) or _DATE_WORDS.search(normalise(answer)))
    if kind == "amount":
        sums = [m.group(0) for m in AMOUNT.finditer(answer) if _has_unit(m.group(0))]
        return any(_MONEY_UNIT.search(s) for s in sums) if _MONEY.search(question) else bool(sums)
    if kind in ("person", "place"):
        return _names_someone_new(question, answer) and not _only_date_or_number(answer)
    return True


def whole_amount(answer: str, sentence: str) -> str:
    """The answer with its quantity written out as the sentence has it: "4.1" -> "4.1 million euros"
    when the sentence says so; the answer unchanged when there is nothing to add."""
    for m in AMOUNT.finditer(answer):
        number = FIGURE.search(m.group(0)).group(0)
        for full in AMOUNT.finditer(sentence):
            if FIGURE.search(full.group(0)).group(0) == number and len(full.group(0)) > len(m.group(0)):
                return (answer[: m.start()] + full.group(0).strip() + answer[m.end():]).strip()
    return answer


_MONTH_NAMES = "|".join(m for m in MONTHS if len(m) > 3 or m == "may")
# A calendar date as the news writes it: "April 29, 2015", "29 April 2015", "April 2015", "Dec. 1 2017".
DATE = re.compile(rf"\b(?:(?:{_MONTH_NAMES})\.? \d{{1,2}}(?:st|nd|rd|th)?,? (?:1[89]|20)\d\d|\d{{1,2}}(?:st|nd|rd|th)? "
                  rf"(?:of )?(?:{_MONTH_NAMES}),? (?:1[89]|20)\d\d|(?:{_MONTH_NAMES})\.? (?:1[89]|20)\d\d)\b", re.IGNORECASE)


_DAY = re.compile(r"\b(?:on|last|next|this) (?:" + "|".join(WEEKDAYS) + r")\b|\b(?:yesterday|tomorrow)\b", re.IGNORECASE)


def whole_date(answer: str, sentence: str) -> str:
    """A date answer completed from its sentence: "April 29" -> "April 29, 2015" when the sentence
    says so; unchanged when the answer already holds a year or the sentence adds none."""
    if re.search(r"\b(?:1[89]|20)\d\d\b", answer):
        return answer
    said = normalise(answer)
    for m in DATE.finditer(sentence):
        if said and said in normalise(m.group(0)):
            return re.sub(re.escape(answer.strip()), m.group(0), answer, count=1, flags=re.IGNORECASE) \
                if answer.strip().lower() in m.group(0).lower() else m.group(0)
    return answer


def as_written_in(question: str, answer: str, sentence: str) -> str:
    """The answer as its sentence writes it, before it is checked against it: a date the model
    wrote in figures ("7/29/2021") as the sentence's "July 29, 2021"."""
    return restate_date(answer, sentence) if kind_of(question) == "date" else answer


def shaped(question: str, answer: str, sentence: str) -> str:
    """A checked answer made whole and to the point from its sentence: a date with its year, an
    amount with its currency and scale, a copied clause cut to the value asked, the number the
    question counts."""
    kind = kind_of(question)
    if kind == "date":
        answer = whole_date(answer, sentence)
    elif kind == "amount":
        answer = whole_amount(answer, sentence)
    answer = core(question, answer)
    return counted(question, answer, sentence) if kind == "count" else answer


_CUT = re.compile(r"\s*(?:\.\.\.|…)(?!\s*[a-z])")  # an elision, not a pause ("$5 ... and no more")


def cut_short(question: str, answer: str, sentence: str, following: str = "") -> bool:
    """Is the answer's amount, without a scale of its own, cut off where the snippet elides what
    followed it ("…top line worth $7.389 ..." — "billion" is lost), so that it cannot be shown
    whole? `following`: the passage's text after the sentence. Of a number the sentence states twice,
    one cut place is enough: which of them the model meant cannot be told."""
    if kind_of(question) != "amount":
        return False
    last = list(AMOUNT.finditer(answer))
    if not last or re.search(rf"\d\s?(?:{SCALE}\b|{UNIT}(?![a-z]))", last[-1].group(0), re.IGNORECASE):
        return False
    number = FIGURE.search(last[-1].group(0)).group(0)
    text = sentence + following
    return any(_CUT.match(text, m.end())
               for m in re.finditer(r"(?<![\d.,])" + re.escape(number) + r"(?![\d,.]\d)", sentence))


_NUMERIC_DATE = re.compile(r"\b(\d{1,4})[/.-](\d{1,2})[/.-](\d{2,4})\b")


def restate_date(answer: str, sentence: str) -> str:
    """A date the model wrote in figures ("7/29/2021", "2021-07-29") as the sentence writes it
    ("July 29, 2021") when both name the same day; the answer unchanged otherwise."""
    m = _NUMERIC_DATE.search(answer)
    if not m:
        return answer
    a, b, c = (int(x) for x in m.groups())
    readings = {(a, b, c), (c, a, b), (c, b, a)}  # y-m-d, m/d/y, d/m/y
    for found in DATE.finditer(sentence):
        words = normalise(found.group(0)).replace(",", " ").split()
        year = next((int(w) for w in words if len(w) == 4 and w.isdigit()), 0)
        month = next((MONTHS[w.rstrip(".")] for w in words if w.rstrip(".") in MONTHS), 0)
        day = next((int(w.rstrip("stndrh")) for w in words if w.rstrip("stndrh").isdigit() and len(w.rstrip("stndrh")) <= 2), 0)
        if (year, month, day) in readings:
            return answer[: m.start()] + found.group(0) + answer[m.end():]
    return answer


def core(question: str, answer: str) -> str:
    """A date or amount answer cut to the value asked for when the model copied a clause around it:
    "2020 NBA draft was held on November 18, 2020" -> "November 18, 2020"."""
    kind = kind_of(question)
    pattern = {"date": DATE, "amount": AMOUNT}.get(kind)
    if pattern is None:
        return answer
    found = [m.group(0).strip() for m in pattern.finditer(answer) if kind != "amount" or _has_unit(m.group(0))]
    return found[0] if len(found) == 1 and len(answer) > len(found[0]) + 12 else answer


_CLAUSE_END = re.compile(r"[,;:()\"“”—–]|\b(?:and|but|while|whereas)\b", re.IGNORECASE)
_COUNTED = re.compile(r"\b(?:\d[\d,]*(?:\.\d+)?|" + "|".join(NUMBER_WORDS) + r")\b", re.IGNORECASE)


def counted(question: str, answer: str, sentence: str) -> str:
    """Of several numbers in a sentence, the one the question counts: "Two diplomats confirmed …
    three diplomats felt …" for "How many diplomats felt …?" is "three", whichever the model wrote.
    Each number is judged by the question words in its own clause: "killing two people and injuring
    more than 100 in the city" counts the injured with 100, though "people" follows "two". Never the
    number the question gives, nor one counting another thing (`_counts_other`): the model's "6,650" of
    "Six textile factories have closed, leaving 6,650 garment workers jobless" is not moved to "Six"
    for "How many workers lost their jobs?", though the headline's words sit in Six's clause."""
    said = [m for m in _COUNTED.finditer(sentence)]
    if len(said) < 2 or not _NUMBER.search(normalise(answer)):
        return answer
    # never the question's own number ("How many of the 20 sectors…") nor a count of another thing
    given, counts = numbers(question), _what_is_counted(question)
    said = [m for m in said if not ((n := numbers(m.group(0))) and n <= given)
            and not _counts_other(counts, sentence, m.end())] or said
    asked = content_terms(question)

    def fit(m: re.Match) -> int:
        before = _CLAUSE_END.split(sentence[: m.start()])[-1]
        after = _CLAUSE_END.split(sentence[m.end():])[0]
        return len(content_terms(f"{before} {after}") & asked)

    best = max(said, key=fit)
    mine = [m for m in said if normalise(m.group(0)) in normalise(answer) or
            content_terms(m.group(0)) & content_terms(answer)]
    if mine and fit(best) > max(fit(m) for m in mine) and fit(best) >= 2:
        return best.group(0)
    return answer


_HOW_MANY = re.compile(r"\bhow many\b((?:\s+[\w'’-]+){1,4})", re.IGNORECASE)  # what is counted, and a few words on
_BEFORE_COUNTED = re.compile(rf"{SCALE}|hundred|per|cent|percent", re.IGNORECASE)  # a scale or unit before what is counted


def _what_is_counted(question: str) -> set[str] | None:
    """The question's first words after "how many" (numbers aside), or None for no how-many question."""
    asked = _HOW_MANY.search(question)
    return {t for w in asked.group(1).split() if not numbers(w) for t in content_terms(w)} if asked else None


def _counts_other(counted: set[str] | None, sentence: str, end: int) -> bool:
    """Does the number that ends at `end` count something else than a how-many question counts
    (`counted`, `_what_is_counted`)? The words after it, to its clause's end, name a plural thing and
    share none of those words: "Six textile factories have closed" for "How many workers lost their
    jobs?". Its scale comes first ("5 million new customers"); words naming no plural thing ("rose to
    30.", "13 reported growth") are no other count."""
    if counted is None:
        return False
    phrase: list[str] = []
    for word in re.findall(r"[\w'’-]+", re.split(r"[.!?;:,()\"“”—–]", sentence[end:], maxsplit=1)[0]):
        if _BEFORE_COUNTED.fullmatch(word) and not phrase:
            continue
        if word.lower() in STOPWORDS or len(phrase) == 3:
            break
        phrase.append(word)
    if not phrase or content_terms(" ".join(phrase)) & counted:
        return False
    last = phrase[-1].lower()
    return len(last) > 3 and last.endswith("s") and not last.endswith("ss")


def evident_in(question: str, text: str) -> bool:
    """Does a text itself hold a value of the kind asked (a calendar date for when, an amount for how
    much, a name the question does not give for who)? Retrieval and evidence selection rank by it,
    and a declined answer's sentence is shown only when it holds one."""
    kind = kind_of(question)
    if kind in ("person", "place"):
        return bool(_new_names(question, text))
    if kind == "date":  # a calendar date, or a day the article's date resolves ("on Thursday")
        return bool(DATE.search(text) or _DAY.search(text))
    return fits(question, text)


OTHER_YEAR_SHARE = 0.5  # of the kind gain, for a date of another year than the question pins
MONTH_SHARE = 0.5  # of the kind gain, for a month and year without the day ("in March 2023")


def evident_share(question: str, text: str, years: frozenset[str] = frozenset()) -> float:
    """How well a text holds a value of the kind asked, for ranking: 1 as `evident_in`, but for a
    when-question that pins a year (`years`) a calendar date of another year only OTHER_YEAR_SHARE.
    A 2020 results page linking to "2021 Kestrel Draft" beside "Date: November 18, 2020" holds a date,
    but not of the 2021 draft; "The 2020 Games opened on July 23, 2021" does answer, so another
    year lowers the gain rather than removing it. A month without its day ("in March 2023") is part
    of a when-answer: MONTH_SHARE (times the year's share)."""
    if not evident_in(question, text):
        return 0.0
    if kind_of(question) != "date" or _DAY.search(text):
        return 1.0
    dates = list(DATE.finditer(text))
    full = any(re.search(r"\d{1,2}\D", m.group(0)) for m in dates)
    of_year = not years or any(re.search(r"(?:1[89]|20)\d\d", m.group(0)).group(0) in years for m in dates)
    return (1.0 if of_year else OTHER_YEAR_SHARE) * (1.0 if full else MONTH_SHARE)


def _has_unit(quantity: str) -> bool:
    return bool(re.search(rf"{CURRENCY}|\d\s?{SCALE}\b|{UNIT}(?![a-z])", quantity, re.IGNORECASE))


_PLURAL_CAPS = re.compile(r"[A-Z]{2,}s")  # "MPs", "CEOs": a group of people, no one's name


def _names_someone_new(question: str, answer: str) -> bool:
    """The answer's last name-like word ("Foreign Minister *Sybiha*", "Rubio and *Witkoff*") is not one
    the question already gives: an answer that only repeats whom the question names is no answer."""
    capitalised = [w for w in re.findall(r"(?<![\w'’])[A-Z][\w'’.-]*", answer) if not _PLURAL_CAPS.fullmatch(w)]
    last = content_terms(capitalised[-1]) if capitalised else set()
    return bool(last) and not last & (content_terms(question) | content_terms(" ".join((*MONTHS, *WEEKDAYS))))


def _new_names(question: str, text: str) -> set[str]:
    """Capitalised words of the text that the question does not already say."""
    capitalised = re.findall(r"(?<![\w'’])[A-Z][\w'’.-]*", text)
    return content_terms(" ".join(capitalised)) - content_terms(question) - content_terms(" ".join(MONTHS))


def _only_date_or_number(answer: str) -> bool:
    rest = _DATE_WORDS.sub(" ", normalise(answer))
    return not re.search(r"[a-z]", re.sub(r"\b(?:on|in|at|the|of)\b", " ", rest))

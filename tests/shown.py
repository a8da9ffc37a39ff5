"""What a streamed step carries for a reader: every string in it, for the tests that check that no
step shows what it must not (an injected order, the model's unverified reply)."""
from __future__ import annotations

from dataclasses import asdict, is_dataclass

# An answer's debugging fields: the model's raw reply and the claims verification dropped. They are
# in the JSON for people debugging, and never displayed by the page or the CLI's text output.
DEBUG_FIELDS = ("raw_output", "dropped")


def strings(value, skip=DEBUG_FIELDS):
    """Every string in `value` (an Event, Answer, dict or list; dataclasses as their fields), but `skip` keys."""
    if is_dataclass(value) and not isinstance(value, type):
        value = asdict(value)
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in skip:
                yield from strings(item, skip)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings(item, skip)

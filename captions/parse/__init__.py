"""Free text -> :class:`~captions.Caption`: credit tail, dateline, date, place, subject.

>>> cap = parse_caption("A screen shows market data in London, Britain, December 11, 2018. "
...                     "REUTERS/Simon Dawson")
>>> cap.agency, cap.photographer, cap.date.isoformat(), cap.location.country_code
('Reuters', 'Simon Dawson', '2018-12-11', 'GBR')

The work per caption is bounded whatever the input: the head (:data:`HEAD_LIMIT` characters)
is searched for the dateline, date and places, the tail (:data:`~captions.parse.credit.TAIL`)
for the credit; anything between is only carried into the subject.
"""

from __future__ import annotations

import datetime as _dt

from ..errors import ParseError
from ..model import Caption
from .pipeline import HEAD_LIMIT, MAX_SUBJECT, parse_text

__all__ = ["parse_caption", "HEAD_LIMIT", "MAX_SUBJECT"]


def parse_caption(text: str, *, reference_date: _dt.date | None = None) -> Caption:
    """Split a wire caption into subject, date, location, agency, photographer and credit.

    Unknown parts stay ``None`` and say why in ``warnings``.  ``reference_date`` (never the
    clock) resolves relative dates ("on Thursday") and year-less dates ("Feb. 28").
    Never raises on a string; a non-string raises :class:`~captions.errors.ParseError`.
    """
    if not isinstance(text, str):
        raise ParseError(f"a caption must be a string, got {type(text).__name__}")
    if reference_date is not None and not isinstance(reference_date, _dt.date):
        raise ParseError("reference_date must be a datetime.date")
    if isinstance(reference_date, _dt.datetime):
        reference_date = reference_date.date()
    return parse_text(text, reference_date)

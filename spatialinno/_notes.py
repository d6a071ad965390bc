"""Notes that can be said in another language: text for the API, a key and values for outputs.

A note (why a row was not matched, why a group has no Gini, which units a statistic left out) is
written in English where it is born -- the text a notebook user sees in a warning, a table's
``note`` column or a join report -- and is also a :class:`Note`: a ``str`` that carries a ``key``
and the values it was written from. The report renders the same note in Chinese or English from
its own text tables (:mod:`spatialinno.workflow.text`), never by translating the English.

>>> n = Note("too_few_units", "fewer than 2 units")
>>> n, n == "fewer than 2 units", n.key
('fewer than 2 units', True, 'too_few_units')
>>> both = join_notes([n, Note("no_capital", "no capital unit")])
>>> str(both), [item.key for item in both.params["items"]]
('fewer than 2 units; no capital unit', ['too_few_units', 'no_capital'])
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["LIST", "Note", "in_file", "join_notes", "note_items"]

#: key of a note made of several notes (``params["items"]``)
LIST = "list"


def _rebuild(key: str, text: str, params: dict[str, Any]) -> Note:
    return Note(key, text, **params)


class Note(str):
    """English text of a note (a ``str``) with the ``key`` and ``params`` it was written from.

    Parameters
    ----------
    key : str
        What kind of note it is (``"left_out"``, ``"too_few_units"`` ...); an output that knows
        the key writes the note in its own language from ``params``.
    text : str
        The English text, as the API shows it.
    **params
        The values the text was written from (a column name, a count, unit labels ...).
    """

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, text: str, **params: Any) -> Note:
        obj = super().__new__(cls, text)
        obj.key = key
        obj.params = params
        return obj

    def __reduce__(self) -> tuple[Any, ...]:  # pickled and copied with its key and values
        return (_rebuild, (self.key, str(self), self.params))

    # repr as a plain string: in a notebook a note is its text


def join_notes(notes: Iterable[str], sep: str = "; ") -> str:
    """Several notes as one (``"a; b"``), each kept for an output that renders them itself.

    Repeated notes are kept once; no note gives ``""``; a single note is returned as it is.
    """
    items = list(dict.fromkeys(notes))
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return Note(LIST, sep.join(items), items=tuple(items))


def note_items(note: object) -> list[object]:
    """The notes a joined note holds (itself when it is a single note)."""
    if isinstance(note, Note) and note.key == LIST:
        return list(note.params["items"])
    return [note]


def in_file(note: str, file: str) -> str:
    """``note`` said of a file: ``"<file>: <note>"``, the file in the note's values too."""
    text = f"{file}: {note}"
    if isinstance(note, Note):
        return Note(note.key, text, **{**note.params, "file": file})
    return text

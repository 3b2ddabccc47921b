"""Messages that can be said again in another language (:class:`Said`): a problem is worked
out once, where it is found, in English; the language is chosen where it is printed."""

from __future__ import annotations

from typing import Any

from triage.i18n import t


class Said(str):
    """A message that is the English text of ``key`` (a ``str``: every caller that reads it
    as text reads it as it always was) and can be said again in another language:
    :meth:`said_in`. A value that is a :class:`Said` is said in that language too. What a
    problem says is worked out once, where it is found; the language is chosen where it is
    printed (:func:`said_in`)."""

    key: str
    values: dict[str, object]

    def __new__(cls, key: str, **values: object) -> Said:
        self = super().__new__(cls, _said(key, "en", values))
        self.key, self.values = key, values
        return self

    def __reduce__(self) -> tuple[Any, tuple[str, dict[str, object]]]:
        return _remade, (self.key, self.values)  # (the default would lose the key)

    def said_in(self, lang: str) -> str:
        return _said(self.key, lang, self.values)


class PerLanguage(dict[str, str]):
    """A value of a :class:`Said` given in each language (a rule pack's label): said in the
    language the message is said in, English otherwise."""


def _said(key: str, lang: str, values: dict[str, object]) -> str:
    return t(key, lang, **{k: v.said_in(lang) if isinstance(v, Said) else
                           (v.get(lang) or v.get("en", "")) if isinstance(v, PerLanguage)
                           else v for k, v in values.items()})


def _remade(key: str, values: dict[str, object]) -> Said:
    return Said(key, **values)


def said_in(message: str, lang: str) -> str:
    """``message`` in ``lang`` when it is a :class:`Said`; any other text as it is."""
    return message.said_in(lang) if isinstance(message, Said) else message

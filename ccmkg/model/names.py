"""Name folding: the one comparison key for names, slugs and person keys.

"Masméjan", "MASMEJAN" and "masmejan" fold to the same key; "Bosnia & Herzegovina" and
"Bosnia and Herzegovina" too; a leading article is dropped ("The Netherlands"). Every resolver,
every REST filter and the loaders compare names through `fold`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from importlib.resources import files

_PUNCTUATION = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")


def strip_accents(text: str) -> str:
    """The text with combining marks removed ("Masméjan" -> "Masmejan"), case kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1 << 16)  # names recur across sentences and documents; the key is pure
def fold(text: str) -> str:
    """Compare-key for a name: no accents, case, punctuation or leading "the"; & is "and"."""
    folded = strip_accents(text).casefold().replace("&", " and ").replace("’", "'")
    folded = _SPACES.sub(" ", _PUNCTUATION.sub(" ", folded).replace("_", " ")).strip()
    return folded.removeprefix("the ")


def squash(text: str) -> str:
    """`fold` without spaces: substring search that ignores word breaks ("vander" ~ "van der")."""
    return fold(text).replace(" ", "")


def slug(text: str, *, max_length: int = 80) -> str:
    """A URL-safe slug of a name (free topics, unresolved names in review lists)."""
    return fold(text).replace(" ", "-")[:max_length].strip("-") or "unnamed"


@cache
def honorifics() -> tuple[str, ...]:
    """Titles written before a person's name (data file `honorifics.txt`), longest first."""
    text = (files("ccmkg.model") / "data" / "honorifics.txt").read_text(encoding="utf-8")
    titles = {line.strip() for line in text.splitlines() if line.strip()}
    titles = {t for t in titles if not t.startswith("#")}
    return tuple(sorted(titles, key=len, reverse=True))


@cache
def _honorific_rx() -> re.Pattern[str]:
    alternatives = "|".join(re.escape(h) for h in honorifics())
    # One or more titles ("H.E. Mr."), each followed by a space, a dot or the end.
    return re.compile(rf"^(?P<h>(?:(?:{alternatives})(?=[\s.]|$)\.?\s*)+)")


def split_honorific(written: str) -> tuple[str | None, str]:
    """('H.E. Mr.', 'Jane Doe') from the name as written; (None, name) when it has no title."""
    text = _without_sentence_stop(" ".join(written.split()))
    match = _honorific_rx().match(text)
    if not match or not match.group("h").strip():
        return None, text
    return " ".join(match.group("h").split()), text[match.end() :].strip()


def _without_sentence_stop(name: str) -> str:
    """A name read at the end of a sentence, without the sentence's full stop: "Ana Ruiz
    Mendoza." is Ana Ruiz Mendoza. An initial or a short abbreviation keeps its dot ("Effron
    C.", "Jr.")."""
    if not name.endswith("."):
        return name
    last = name.rsplit(" ", 1)[-1].rstrip(".")
    return name.rstrip(".") if len(last) >= 3 and "." not in last else name


def person_key(name: str) -> str:
    """The identity key of a person's name: titles dropped, folded, words joined by '-'.

    "H.E. Anna Maria van der Berg" and "Ambassador Anna Maria Van der Berg" share a key.
    """
    _, bare = split_honorific(name)
    return fold(bare).replace(" ", "-") or "unnamed"

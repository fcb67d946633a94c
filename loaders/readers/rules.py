"""Extraction rules as data: `loaders/rules/<subject>.yaml`, read once, compiled, with examples.

A rule file holds `placeholders` (named regex fragments, written `{name}` in a pattern), the
default `reader` (the function of `ccmkg.loaders.readers.<subject>` that applies the rules; a
rule may name another), the default `view` (the text a pattern runs on: a sentence, the
sentence with States and areas as tokens, a heading, or a line) and
`rules`. Each rule has a `name`, a `pattern` (a verbose regex with named groups), what it
`produces` (a record kind and how its fields are filled) and `examples`: synthetic sentences
with the records they must give, run by tests/loaders/test_rules.py.

Field values in `produces.fields`: `$group` is the text of a named group, `@source` a value the
reader takes from the context (e.g. `@section-area`, the area of the enclosing section), any
other value is taken as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from ccmkg.loaders.readers.prefilter import Clause, either, may_match, needs, outside_markup

# What a rule may produce: record kind -> the Extraction field the records go to.
RECORDS = {
    "meeting": "meeting",
    "attendance": "attendance",
    "holding": "holdings",
    "apology": "apologies",
    "obligation-event": "obligation_events",
    "aggregate-statement": "aggregate_statements",
    "action-point": "action_points",
    "minutes-approval": "minutes_approvals",
    "next-meeting": "next_meeting",
    "working-group": "working_groups",
    "calendar-meeting": "calendar",
    "treaty-action": "treaty_actions",
}
_PLACEHOLDER = re.compile(r"\{([a-z][a-z_]*)\}")  # never a quantifier such as {0,2}
VIEWS = ("sentence", "tokens", "heading", "line")


@dataclass(frozen=True)
class Example:
    """A synthetic text and the records the rule's reader must read off it (fields shown)."""

    text: str
    expect: tuple[Mapping[str, Any], ...]
    section: str | None = None  # a heading the text sits under
    title: str | None = None  # the document's title, for rules that read it


@dataclass(frozen=True)
class Rule:
    subject: str
    name: str
    pattern: re.Pattern[str]
    produces: str
    fields: Mapping[str, Any]
    reader: str
    view: str = "sentence"
    requires: re.Pattern[str] | None = None
    when: Mapping[str, Any] = field(default_factory=dict)
    examples: tuple[Example, ...] = ()
    # Literals every match contains, read off `pattern` (see prefilter.py): a text without
    # them is not searched. `needs_untokenised`: those that hold before a token view is made.
    needs: tuple[Clause, ...] = ()
    needs_untokenised: tuple[Clause, ...] = ()

    def may_match(self, text: str) -> bool:
        """False only when the pattern cannot match in `text` (a cheap substring test)."""
        return may_match(self.needs, text)

    def may_match_untokenised(self, text: str) -> bool:
        """False only when the pattern cannot match in the token view of `text`."""
        return may_match(self.needs_untokenised, text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """`pattern.finditer(text)`, skipped when the text lacks what every match needs."""
        return self.pattern.finditer(text) if may_match(self.needs, text) else iter(())

    def search(self, text: str) -> re.Match[str] | None:
        """`pattern.search(text)`, skipped when the text lacks what every match needs."""
        return self.pattern.search(text) if may_match(self.needs, text) else None

    def match(self, text: str) -> re.Match[str] | None:
        """`pattern.match(text)`, skipped when the text lacks what every match needs."""
        return self.pattern.match(text) if may_match(self.needs, text) else None

    def value(self, name: str, m: re.Match[str]) -> Any:
        """A field as the rule declares it: a group's text, a context source, or a constant."""
        spec = self.fields.get(name)
        if isinstance(spec, str) and spec.startswith("$"):
            return m.group(spec[1:])
        return spec

    def source(self, name: str) -> str | None:
        """The context source (without '@') a field is taken from, if it is one."""
        spec = self.fields.get(name)
        return spec[1:] if isinstance(spec, str) and spec.startswith("@") else None

    def required(self, text: str, m: re.Match[str]) -> bool:
        """`requires`, if any, is found in the text outside the match."""
        if self.requires is None:
            return True
        return bool(
            self.requires.search(text[m.end() :]) or self.requires.search(text[: m.start()])
        )


def rules_dir() -> Path:
    return Path(str(files("ccmkg.loaders") / "rules"))


def _compile(
    pattern: str, placeholders: Mapping[str, str], flags: int, where: str
) -> re.Pattern[str]:
    def expand(m: re.Match[str]) -> str:
        if m.group(1) not in placeholders:
            raise ValueError(f"{where}: unknown placeholder {{{m.group(1)}}}")
        return placeholders[m.group(1)]

    for _ in range(5):  # placeholders may use placeholders
        pattern = _PLACEHOLDER.sub(expand, pattern)
    return re.compile(pattern, flags | re.VERBOSE)


def _examples(raw: list[dict[str, Any]]) -> tuple[Example, ...]:
    return tuple(
        Example(
            str(e["text"]),
            tuple(e.get("expect") or ()),
            e.get("section"),
            e.get("title"),
        )
        for e in raw
    )


@cache
def rules(subject: str) -> tuple[Rule, ...]:
    """The rules of `loaders/rules/<subject>.yaml`, in file order (the order they are tried).

    Raises:
        ValueError: a rule is malformed (unknown placeholder, view or missing key).
    """
    path = rules_dir() / f"{subject}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    placeholders = {k: str(v).strip() for k, v in (data.get("placeholders") or {}).items()}
    if not all(isinstance(k, str) for k in placeholders):  # YAML reads `on:` as True
        raise ValueError(f"{path.name}: a placeholder name is not a string (quote it)")
    out: list[Rule] = []
    for raw in data["rules"]:
        where = f"{path.name}: {raw.get('name')}"
        flags = 0 if raw.get("case_sensitive") else re.IGNORECASE
        view = raw.get("view", data.get("view", "sentence"))
        if view not in VIEWS:
            raise ValueError(f"{where}: view {view!r} is not one of {VIEWS}")
        produces = raw["produces"]
        if produces.get("record") not in RECORDS:
            raise ValueError(f"{where}: produces an unknown record {produces.get('record')!r}")
        requires = raw.get("requires")
        pattern = _compile(raw["pattern"], placeholders, flags, where)
        needed = needs(pattern)
        out.append(
            Rule(
                subject=subject,
                name=raw["name"],
                pattern=pattern,
                produces=produces["record"],
                fields=dict(produces.get("fields") or {}),
                reader=raw.get("reader", data.get("reader")),
                view=view,
                requires=_compile(requires, placeholders, flags, where) if requires else None,
                when=dict(raw.get("when") or {}),
                examples=_examples(raw.get("examples") or []),
                needs=needed,
                needs_untokenised=outside_markup(needed) if view == "tokens" else needed,
            )
        )
    names = [r.name for r in out]
    if len(set(names)) != len(names):
        raise ValueError(f"{path.name}: rule names repeat")
    return tuple(out)


def rule(subject: str, name: str) -> Rule:
    """One rule by name (for readers that apply a single rule)."""
    return next(r for r in rules(subject) if r.name == name)


def untokenised_gate(chosen: list[Rule]) -> tuple[Clause, ...]:
    """What a sentence needs before its token view is worth making for any of `chosen`
    (`prefilter.may_match(gate, sentence)`)."""
    return either(r.needs_untokenised for r in chosen)


def subjects() -> list[str]:
    """Every rule file's subject, sorted."""
    return sorted(p.stem for p in rules_dir().glob("*.yaml"))

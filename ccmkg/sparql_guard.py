"""Checks a SPARQL query text *before* any engine sees it.

Why a scanner of our own: pyoxigraph crashes the whole process (segmentation fault) on deeply
nested input, and on long flat chains too (3,000 MINUS or BIND in a row, 10,000 UNION or
`&&` or `+`, 10,000 triple patterns: the engine builds a left-deep tree and recurses over it),
and SERVICE makes outbound requests in every engine we use. Both must be refused
before parsing, so we cannot rely on the engine's parser. The scanner understands just enough
of the SPARQL lexical grammar (comments, strings, IRIs, keywords, brackets) to be exact about
those questions; everything else is left to the engine's parser, whose messages we pass on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ccmkg.errors import PayloadTooLarge, QueryRejected
from ccmkg.model.namespaces import PREFIXES
from ccmkg.settings import Settings

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)

# One alternative per lexical class; the order matters (long strings before short ones).
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<lstring>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
  | (?P<string>'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*(?::[^\s{}()\[\];,<>"'\#/|^*+?!=&]*)?
            |:[^\s{}()\[\];,<>"'\#/|^*+?!=&]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
# Unary operators that the engines parse recursively, like brackets.
_UNARY = frozenset("!")
# What the engine turns into one more level of its algebra or expression tree.
_GROUP_WORDS = frozenset(
    {"UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "GRAPH", "SERVICE", "VALUES", "EXISTS"}
)
_OPERATOR_CHARS = frozenset("+-*/|^!=<>&?")
_PATTERN_SEPARATORS = frozenset(".;,")


@dataclass(frozen=True)
class Counts:
    """How many operators, groups and triple patterns a query text holds (an upper bound)."""

    operators: int  # operator symbols in expressions and property paths (`&&` counts two)
    groups: int  # `{` and the keywords that open or join groups (UNION, OPTIONAL, …)
    patterns: int  # separators of triple patterns (`.` `;` `,` outside parentheses)


def count_constructs(text: str | list[Token]) -> Counts:
    """One pass over the tokens: the sizes the engine builds flat chains from."""
    operators = groups = patterns = parens = 0
    for tok in tokens(text) if isinstance(text, str) else text:
        if tok.kind == "other":
            if tok.text in _OPERATOR_CHARS:
                operators += 1
            elif tok.text in _PATTERN_SEPARATORS and parens == 0:
                patterns += 1
        elif tok.kind == "open":
            if tok.text == "{":
                groups += 1
            elif tok.text == "(":
                parens += 1
        elif tok.kind == "close" and tok.text == ")":
            parens = max(parens - 1, 0)
        elif tok.kind == "word" and tok.text.upper() in _GROUP_WORDS:
            groups += 1
    return Counts(operators, groups, patterns + 1)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int


@dataclass(frozen=True)
class QueryInfo:
    """What the scanner learnt: the query form, its dataset clause and its SERVICE targets."""

    form: str
    has_dataset_clause: bool
    services: tuple[str, ...] = field(default_factory=tuple)
    depth: int = 0
    from_graphs: tuple[str, ...] = ()
    from_named_graphs: tuple[str, ...] = ()


def tokens(text: str) -> list[Token]:
    """The significant tokens of a query (whitespace and comments dropped)."""
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        if kind == "lstring":
            kind = "string"
        out.append(Token(kind, m.group(), m.start()))
    return out


def nesting_depth(text: str | list[Token]) -> int:
    """Deepest nesting of brackets (plus runs of `!`), counted outside strings, IRIs, comments."""
    depth = deepest = run = 0
    for tok in tokens(text) if isinstance(text, str) else text:
        if tok.kind == "iri":
            # Conservative: brackets inside an IRI token count too, so that no lexer
            # disagreement about `<` can hide nesting from this check.
            for ch in tok.text:
                if ch in "([":
                    depth += 1
                    deepest = max(deepest, depth)
                elif ch in ")]":
                    depth = max(depth - 1, 0)
            run = 0
        elif tok.kind == "open":
            depth += 1
            run = 0
        elif tok.kind == "close":
            depth = max(depth - 1, 0)
            run = 0
        elif tok.kind == "other" and tok.text in _UNARY:
            run += 1
        else:
            run = 0
        deepest = max(deepest, depth + run)
    return deepest


def _first_keyword(toks: list[Token]) -> tuple[str, int]:
    """The first keyword after the prologue (BASE/PREFIX), and its token index."""
    i = 0
    while i < len(toks):
        word = toks[i].text.upper() if toks[i].kind == "word" else ""
        if word == "BASE":
            i += 2
        elif word == "PREFIX":
            i += 3
        else:
            return word, i
    return "", i


@lru_cache(maxsize=512)
def scan(text: str) -> QueryInfo:
    """Classify a query without parsing it fully (cached: the same texts come back often).

    Raises:
        QueryRejected: it is an update, or not a query at all.
    """
    toks = tokens(text)
    return _scan(toks, nesting_depth(toks))


def _scan(toks: list[Token], depth_of_text: int) -> QueryInfo:
    word, index = _first_keyword(toks)
    if word in UPDATE_KEYWORDS:
        raise QueryRejected(
            f"SPARQL Update ({word}) is not accepted: this endpoint is read-only.",
            hint="Use the ingest API to change data; /sparql answers SELECT, ASK, CONSTRUCT "
            "and DESCRIBE.",
        )
    if word not in QUERY_FORMS:
        raise QueryRejected(
            "Not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE after the prologue.",
            hint="Check the query text; PREFIX and BASE declarations may come first.",
        )
    prefixes = {
        toks[i + 1].text: toks[i + 2].text[1:-1]
        for i in range(index)
        if toks[i].kind == "word" and toks[i].text.upper() == "PREFIX" and i + 2 < index
    }
    services: list[str] = []
    graphs: dict[str, list[str]] = {"FROM": [], "NAMED": []}
    has_dataset = False
    depth = 0
    for i in range(index, len(toks)):
        tok = toks[i]
        if tok.kind == "open":
            depth += 1
        elif tok.kind == "close":
            depth -= 1
        elif tok.kind == "word":
            upper = tok.text.upper()
            if upper == "FROM" and depth == 0:
                has_dataset = True
                named = i + 1 < len(toks) and toks[i + 1].text.upper() == "NAMED"
                target = toks[i + 2] if named else toks[i + 1] if i + 1 < len(toks) else None
                if target is not None:
                    graphs["NAMED" if named else "FROM"].append(_resolve(target, prefixes))
            elif upper == "SERVICE":
                target = toks[i + 1] if i + 1 < len(toks) else None
                if target is not None and target.kind == "word" and target.text.upper() == "SILENT":
                    target = toks[i + 2] if i + 2 < len(toks) else None
                services.append(target.text if target is not None else "")
    return QueryInfo(
        word,
        has_dataset,
        tuple(services),
        depth_of_text,
        tuple(graphs["FROM"]),
        tuple(graphs["NAMED"]),
    )


def _resolve(tok: Token, prefixes: dict[str, str]) -> str:
    """The IRI of an `<iri>` or `prefix:local` token (relative IRIs are kept as written)."""
    if tok.kind == "iri":
        return tok.text[1:-1]
    prefix, _, local = tok.text.partition(":")
    return prefixes.get(prefix + ":", "") + local


def check_query(
    text: str,
    *,
    max_bytes: int,
    max_depth: int,
    service_allowlist: list[str] | tuple[str, ...] = (),
    max_operators: int | None = None,
    max_groups: int | None = None,
    max_patterns: int | None = None,
) -> QueryInfo:
    """Everything /sparql checks before the engine sees the text.

    A text that passed is remembered with the limits it passed (`_passed`): clients send the
    same queries again and again, and the scan is most of what /sparql costs the server per
    request. Only passes are remembered, so every refusal is computed afresh.

    Raises:
        PayloadTooLarge: the text exceeds `max_bytes`.
        QueryRejected: too deeply nested, too many operators, groups or triple patterns
            (each message names its limit), an update, or SERVICE to an endpoint not allowed.
    """
    limits = (
        max_bytes, max_depth, tuple(service_allowlist), max_operators, max_groups, max_patterns
    )  # fmt: skip
    if len(text) <= REMEMBER_MAX_CHARS:
        return _passed(text, limits)
    return _check(text, *limits)


# Texts up to this size are remembered once they pass (at most REMEMBERED of them): the named
# queries are 1–10 KB; a 100 KB text is rare and is scanned each time.
REMEMBER_MAX_CHARS = 16_384
REMEMBERED = 512


@lru_cache(maxsize=REMEMBERED)
def _passed(text: str, limits: tuple[Any, ...]) -> QueryInfo:
    """`_check` of a text that passes, cached (a refusal raises, and lru_cache keeps nothing)."""
    return _check(text, *limits)


def _check(
    text: str,
    max_bytes: int,
    max_depth: int,
    service_allowlist: tuple[str, ...],
    max_operators: int | None,
    max_groups: int | None,
    max_patterns: int | None,
) -> QueryInfo:
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise PayloadTooLarge(
            f"The query is {size} bytes; the limit is {max_bytes} bytes (CCMKG_MAX_QUERY_BYTES).",
            hint="Shorten the query, e.g. move long VALUES lists into several queries.",
        )
    # One tokenisation (a regular expression: linear, nothing recursive) for every count.
    # Depth first: it must be known before anything recursive runs.
    toks = tokens(text)
    depth = nesting_depth(toks)
    if depth > max_depth:
        raise QueryRejected(
            f"The query nests brackets {depth} levels deep; the limit is {max_depth} "
            "(CCMKG_MAX_QUERY_DEPTH).",
            hint="Flatten nested groups or expressions.",
        )
    counts = count_constructs(toks)
    for found, limit, what, setting, hint in (
        (counts.operators, max_operators,
         "operator symbols (arithmetic, logical, comparison, property-path steps)",
         "CCMKG_MAX_QUERY_OPERATORS", "Shorten the expressions or paths, e.g. use IN (…) "
         "instead of a chain of ||, or a path with * instead of many steps."),
        (counts.groups, max_groups, "groups and group operators ({…}, UNION, OPTIONAL, MINUS, "
         "FILTER, BIND, VALUES…)", "CCMKG_MAX_QUERY_GROUPS",
         "Merge the groups, e.g. one VALUES block instead of many UNION branches."),
        (counts.patterns, max_patterns, "triple patterns", "CCMKG_MAX_QUERY_PATTERNS",
         "Split the query into several smaller ones."),
    ):  # fmt: skip
        if limit is not None and found > limit:
            raise QueryRejected(
                f"The query has {found} {what}; the limit is {limit} ({setting}).", hint=hint
            )
    info = _scan(toks, depth)
    check_services(info.services, service_allowlist)
    return info


def check_query_within(query: str, settings: Settings) -> QueryInfo:
    """`check_query` with the limits of these settings: one place, so /sparql and
    `ccmkg sparql` can never apply different limits."""
    return check_query(
        query,
        max_bytes=settings.max_query_bytes,
        max_depth=settings.max_query_depth,
        service_allowlist=settings.service_allowlist,
        max_operators=settings.max_query_operators,
        max_groups=settings.max_query_groups,
        max_patterns=settings.max_query_patterns,
    )


def check_services(
    services: tuple[str, ...] | list[str], service_allowlist: list[str] | tuple[str, ...] = ()
) -> None:
    """Every SERVICE target (as written: `<iri>` or a variable) must be an allowed IRI.

    Raises:
        QueryRejected: a SERVICE to a variable, or to an endpoint not on the allow-list.
    """
    allowed = set(service_allowlist)
    for target in services:
        iri = target[1:-1] if target.startswith("<") and target.endswith(">") else None
        if iri is None:
            raise QueryRejected(
                f"SERVICE {target or '(missing endpoint)'} is refused: federated queries must "
                "name an allowed endpoint IRI.",
                hint="Only endpoints listed in CCMKG_SERVICE_ALLOWLIST may be called.",
            )
        if iri not in allowed:
            raise QueryRejected(
                f"SERVICE <{iri}> is refused: this endpoint makes no outbound requests to "
                "endpoints that are not on its allow-list.",
                hint="Ask the operator to add the endpoint to CCMKG_SERVICE_ALLOWLIST.",
            )


def _group_end(toks: list[Token], i: int) -> int:
    """Index of the token closing the bracket opened at toks[i]."""
    depth = 0
    for j in range(i, len(toks)):
        if toks[j].kind == "open":
            depth += 1
        elif toks[j].kind == "close":
            depth -= 1
            if depth == 0:
                return j
    raise QueryRejected("Unbalanced brackets in the query.", hint="Check braces and parentheses.")


def inject_values(text: str, block: str) -> str:
    """Put a VALUES block at the start of the outermost WHERE group.

    At the start, not at the end: a trailing VALUES clause joins *after* GROUP BY and
    aggregation, so it would not restrict what is counted. The short form
    `CONSTRUCT WHERE { T }` is rewritten to `CONSTRUCT { T } WHERE { VALUES … T }`, because a
    template may not contain VALUES.

    Raises:
        QueryRejected: the query has no WHERE group.
    """
    toks = tokens(text)
    word, i = _first_keyword(toks)
    if word == "CONSTRUCT":
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt is not None and nxt.kind == "open" and nxt.text == "{":
            i = _group_end(toks, i + 1)
        elif nxt is not None and nxt.kind == "word" and nxt.text.upper() == "WHERE":
            open_i = i + 2
            close_i = _group_end(toks, open_i)
            start, end = toks[open_i].start, toks[close_i].start
            template = text[start + 1 : end]
            return (
                text[: nxt.start]
                + "{"
                + template
                + "} WHERE {\n"
                + block
                + "\n"
                + template
                + text[end:]
            )
    for j in range(i + 1, len(toks)):
        tok = toks[j]
        if tok.kind == "open" and tok.text == "{":
            pos = tok.start + 1
            return text[:pos] + "\n" + block + "\n" + text[pos:]
        if tok.kind == "open" and tok.text == "(":
            # SELECT expressions such as (COUNT(?x) AS ?n): skip the whole bracket.
            continue
    raise QueryRejected("The query has no WHERE group to bind values in.")


def undeclared_prefixes(text: str) -> list[str]:
    """Prefixes used in prefixed names (`ccm:Foo`) that no PREFIX declares, in order of use.

    Blank node labels (`_:b`) are not prefixed names; strings, IRIs and comments are skipped
    by the tokenizer, so a `:` inside them never counts.
    """
    toks = tokens(text)
    declared: set[str] = set()
    used: list[str] = []
    for i, tok in enumerate(toks):
        if tok.kind != "word" or ":" not in tok.text:
            continue
        prefix = tok.text.split(":", 1)[0]
        if i > 0 and toks[i - 1].kind == "word" and toks[i - 1].text.upper() == "PREFIX":
            declared.add(prefix)
        elif prefix != "_" and prefix not in used:
            used.append(prefix)
    return [p for p in used if p not in declared]


def plain_syntax_error(exc: QueryRejected, text: str) -> QueryRejected:
    """The engine's syntax error in plain words where we can name the cause, else itself.

    An undeclared prefix makes the parser list every character it expected (a wall of
    Unicode ranges); the person needs "unknown prefix ccm:" and the line that fixes it.
    """
    said = exc.message.lower()
    if type(exc) is not QueryRejected or ("syntax" not in said and "prefix" not in said):
        return exc  # a time or size limit, or an error that has nothing to do with prefixes
    missing = undeclared_prefixes(text)
    if not missing:
        return exc
    first = missing[0]
    namespace = PREFIXES.get(first)
    declaration = f"PREFIX {first}: <{namespace or 'namespace IRI'}>"
    others = f" (also undeclared: {', '.join(p + ':' for p in missing[1:])})" if missing[1:] else ""
    return QueryRejected(
        f"unknown prefix {first}:{others}",
        hint=f"Declare it before the query: {declaration}",
    )

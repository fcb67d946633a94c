"""Reading steps shared by the family extractors: a context object plus one function per fact kind.

Each step reads the segmented clean text and appends records (each with its Passage) to the
Extraction; anything it cannot read becomes an Issue. Steps hold no names, dates or positions
of any particular document: names come from the gazetteer, structure from segment.py.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ccmkg.loaders import metadata as md
from ccmkg.loaders.gazetteer import Gazetteer, gazetteer, looks_like_person, person, slug
from ccmkg.loaders.records import (
    ActionPointRecord,
    ActorRef,
    AgendaItemRecord,
    AggregateStatementRecord,
    ApologyRecord,
    AttendanceRecord,
    ConflictRecord,
    Extraction,
    Issue,
    MeetingRef,
    MinutesApprovalRecord,
    NextMeetingRecord,
    ObligationEventRecord,
    ParticipantRecord,
    Passage,
    PostHoldingRecord,
    PostKind,
)
from ccmkg.loaders.segment import Block, Paragraph, blocks, segment
from ccmkg.loaders.text import CleanText


@dataclass
class Ctx:
    """What every step needs: the text, its paragraphs and blocks, the gazetteer, the years."""

    ct: CleanText
    ex: Extraction
    paras: list[Paragraph] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    gz: Gazetteer = field(default_factory=gazetteer)
    years: Counter[int] = field(default_factory=Counter)

    @classmethod
    def build(cls, ct: CleanText, ex: Extraction) -> Ctx:
        paras = segment(ct.clean)
        return cls(ct, ex, paras, blocks(paras), gazetteer(), md.context_years(ct.clean))

    def passage(self, start: int, end: int, section: str | None = None) -> Passage:
        return self.ct.passage(start, end, section)

    def para_passage(self, p: Paragraph) -> Passage:
        return self.ct.passage(p.start, p.end, p.section)

    def warn(self, message: str, passage: Passage | None = None) -> None:
        self.ex.issues.append(Issue("warning", message, passage))

    def unresolved(self, name: str, passage: Passage, kind: str = "organization") -> ActorRef:
        ref = self.gz.unresolved(name, kind)
        # For kind "unresolved" the message is the name as written (the emitter's contract).
        self.ex.issues.append(Issue("unresolved", ref.name_as_written, passage))
        return ref


# --- sentences -----------------------------------------------------------------------------

_SENT = re.compile(r"[^.;!?]+(?:[.;!?](?!\d)|$)")
_ABBREV = re.compile(
    r"\b(?:Mr|Ms|Mrs|Dr|H\.E|e\.g|i\.e|etc|No|Coord|Stock|Destruct|Gen|Op|"
    r"Trans|Coop|Assist|Pres|Des|Exec|St|Amb|[A-Z])\.$"
)


def sentences(p: Paragraph) -> list[tuple[int, int, str]]:
    """Sentences of a paragraph as (clean start, clean end, text); abbreviations kept whole."""
    text = p.text
    out: list[tuple[int, int, str]] = []
    start = 0
    for m in re.finditer(r"[.;!?](?=\s+[A-Z(\"'“]|\s*$)", text):
        chunk = text[start : m.end()]
        if _ABBREV.search(chunk):
            continue
        out.append((p.start + start, p.start + m.end(), chunk))
        start = m.end()
    if text[start:].strip():
        out.append((p.start + start, p.end, text[start:]))
    return out


# --- actors in list lines ------------------------------------------------------------------

_ROLE_SPLIT = re.compile(r"\s+[-–—]\s+|\s*\(|\s*,\s*|\s+in\s+(?:the\s+)?capacity\s+of\s+|\s*:\s*")
_ORG_WORDS = re.compile(
    r"\b(?:coalition|unit|union|association|organi[sz]ation|centre|center|trust|watch|aid|"
    r"international|committee|institute|foundation|network|campaign|collective|society|office|"
    r"programme|program|fund|agency|mission|secretariat|group|council|league|initiative|"
    r"review|monitor|service|bank|forum)\b",
    re.IGNORECASE,
)


def split_actor(text: str, gz: Gazetteer) -> tuple[ActorRef | None, str, str]:
    """(actor, name as written, role text) for a list line such as 'Iraq – President-Designate'."""
    t = text.strip().strip(",;").strip()
    hit = gz.actor(t)
    if hit:
        return hit, t, ""
    for m in _ROLE_SPLIT.finditer(t):
        left = t[: m.start()].strip()
        hit = gz.actor(left)
        if hit:
            role = t[m.start() :].strip(" -–—:,")
            return hit, left, _tidy_role(role)
    name = _ROLE_SPLIT.split(t, maxsplit=1)[0].strip()
    return None, name, _tidy_role(t[len(name) :].strip(" -–—:,"))


def _tidy_role(role: str) -> str:
    role = role.strip().strip(",;").strip()
    if role.startswith("(") and role.endswith(")") and role.count("(") == 1:
        role = role[1:-1]
    elif role.startswith("(") and role.count("(") > role.count(")"):
        role = role[1:]
    return role.strip(" ,;")


def _looks_like_bare_person(text: str) -> bool:
    words = text.split()
    return (
        ":" not in text
        and 2 <= len(words) <= 5
        and all(
            w[:1].isupper() or w.lower() in {"de", "van", "der", "da", "del", "von", "al"}
            for w in words
        )
        and not _ORG_WORDS.search(text)
        and not text.isupper()
    )


_PERSON_ROLE = re.compile(r"\s+[-–—]\s+|\s*\(|\s*,\s+")


def split_person(text: str) -> tuple[str, str | None]:
    """('Ms. Heleen Huijgen', 'Intern') from 'Ms. Heleen Huijgen - Intern'."""
    t = text.strip().strip(",;")
    m = _PERSON_ROLE.search(t)
    if not m:
        return t, None
    role = _tidy_role(t[m.start() :].strip(" -–—,"))
    return t[: m.start()].strip(), role or None


# --- attendance ----------------------------------------------------------------------------


def _cells(text: str) -> list[str] | None:
    """Cells of a markdown/pipe table row; None for a separator or a non-table line."""
    t = text.strip()
    if t.count("|") < 2:
        return None
    cells = [c.strip() for c in t.strip("|").split("|")]
    if all(re.fullmatch(r":?-{2,}:?", c) or not c for c in cells):
        return []
    return cells


def read_attendance(ctx: Ctx) -> None:
    """Delegations present, their persons and roles, and posts stated beside a delegation."""
    for block in (b for b in ctx.blocks if b.label == "present"):
        current: AttendanceRecord | None = None
        for p in block.items:
            body = p.body
            pas = ctx.para_passage(p)
            cells = _cells(body)
            if cells is not None:
                current = _table_row(ctx, cells, pas, current)
                continue
            if looks_like_person(body):
                if current is None:
                    ctx.warn("person listed before any delegation", pas)
                    continue
                for written in re.split(r"\s*;\s*", body):
                    _add_person(ctx, current, written, pas)
                continue
            # "Austria: Mr. Peter Steiner; Ms. X (Intern)" — one line per delegation
            one_line = re.match(r"^(?P<a>[^:]{2,80}):\s*(?P<rest>.+)$", body)
            if one_line and looks_like_person(one_line.group("rest")):
                current = _add_actor(ctx, one_line.group("a"), pas)
                for written in re.split(
                    r"\s*[;]\s*|\s*,\s*(?=(?:H\.E\.|Mr|Ms|Mrs|Dr)\b)", one_line.group("rest")
                ):
                    if written.strip():
                        _add_person(ctx, current, written, pas)
                continue
            if current is not None and _looks_like_bare_person(body) and not ctx.gz.actor(body):
                _add_person(ctx, current, body, pas)
                continue
            current = _add_actor(ctx, body, pas)


def _table_row(
    ctx: Ctx, cells: list[str], pas: Passage, current: AttendanceRecord | None
) -> AttendanceRecord | None:
    if not cells or not any(cells):
        return current
    first = cells[0]
    if re.fullmatch(r"(?i)delegation|state|organi[sz]ation|country|name", first):
        return current  # header row
    persons = [c for c in cells[1:] if looks_like_person(c)]
    roles = [c for c in cells[1:] if c and not looks_like_person(c)]
    if first:
        current = _add_actor(ctx, first + (f" ({roles[0]})" if roles and not persons else ""), pas)
    if current is None:
        return None
    for written in persons:
        role = roles[0] if roles else None
        _add_person(ctx, current, written + (f" - {role}" if role else ""), pas)
    return current


def _add_actor(ctx: Ctx, text: str, pas: Passage) -> AttendanceRecord:
    actor, written, role = split_actor(text, ctx.gz)
    if actor is None:
        actor = ctx.unresolved(
            written,
            pas,
            "state" if not _ORG_WORDS.search(written) and not written.isupper() else "organization",
        )
    for rec in ctx.ex.attendance:
        if rec.actor.key == actor.key:
            current = rec
            break
    else:
        current = AttendanceRecord(actor, pas)
        ctx.ex.attendance.append(current)
    if role:
        read_role(ctx, actor, role, pas)
    return current


def _add_person(ctx: Ctx, current: AttendanceRecord, written: str, pas: Passage) -> None:
    name, role = split_person(written)
    ref = person(name)
    if not ref.name:
        return
    if any(x.person.key == ref.key for x in current.participants):
        return
    current.participants.append(ParticipantRecord(ref, pas, role))


_DESIGNATE = re.compile(r"president[\s-]*(?:designate|elect)", re.IGNORECASE)
_PAST = re.compile(r"(?:immediate\s+)?(?:past|former|outgoing)\s+president", re.IGNORECASE)
_PRESIDENT = re.compile(r"\bpresiden(?:t|cy)\b", re.IGNORECASE)


def read_role(ctx: Ctx, actor: ActorRef, role: str, pas: Passage, friend: bool = False) -> None:
    """Posts stated beside a delegation: presidency roles and thematic areas with years."""
    refs = [r for r, _, _ in md.find_meeting_refs(role)]
    meeting = refs[0] if refs else None
    post: PostKind | None = None
    if _DESIGNATE.search(role):
        post = "president-designate"
    elif _PAST.search(role):
        post = "past-president"
    elif _PRESIDENT.search(role) and "friend" not in role.lower():
        post = "president"
    if post:
        add_holding(ctx, actor, post, pas, meeting=meeting)
    areas = ctx.gz.find_areas(role)
    years = tuple(sorted({int(y) for y in re.findall(r"(?:19|20)\d{2}", role)}))
    kind: PostKind = "friend" if friend or re.search(r"\bfriend", role, re.I) else "coordinator"
    for a in areas:
        add_holding(ctx, actor, kind, pas, area=a.key, mandate_years=years)


def add_holding(
    ctx: Ctx,
    actor: ActorRef,
    post: PostKind,
    pas: Passage,
    *,
    area: str | None = None,
    topic: str | None = None,
    meeting: MeetingRef | None = None,
    mandate_years: tuple[int, ...] = (),
) -> None:
    """Append a holding unless the same attestation (same passage) is already there."""
    if actor.kind != "state" and post in ("coordinator", "president", "president-designate"):
        return
    for h in ctx.ex.holdings:
        if (h.holder.key, h.post, h.area, h.topic, h.passage) == (
            actor.key,
            post,
            area,
            topic,
            pas,
        ):
            return
    ctx.ex.holdings.append(
        PostHoldingRecord(actor, post, pas, area, topic, meeting, tuple(mandate_years))
    )


# --- apologies -----------------------------------------------------------------------------

_INLINE_APOLOGIES = re.compile(
    r"^(?P<label>apologies(?:\s+(?P<not>not\s+)?received)?)\s*:\s*(?P<rest>.+)$", re.IGNORECASE
)


def read_apologies(ctx: Ctx) -> None:
    """Apologies received / not received: from blocks, or one 'Apologies received: A, B' line."""
    for block in ctx.blocks:
        if not block.label.startswith("apologies"):
            continue
        received = block.label == "apologies-received"
        for p in block.items:
            for name in _list_names(p.body):
                _add_apology(ctx, name, received, ctx.para_passage(p))
    for p in ctx.paras:
        m = _INLINE_APOLOGIES.match(p.body)
        if m:
            for name in _list_names(m.group("rest")):
                _add_apology(ctx, name, not m.group("not"), ctx.para_passage(p))


def _list_names(text: str) -> list[str]:
    """'A, B and C' -> names; a known name with 'and' in it stays whole."""
    gz = gazetteer()
    out: list[str] = []
    for part in re.split(r"\s*[,;]\s*", text.strip().rstrip(".")):
        part = re.sub(r"^and\s+", "", part.strip())
        if not part:
            continue
        if gz.actor(part) or " and " not in part:
            out.append(part)
            continue
        out.extend(x for x in re.split(r"\s+and\s+", part) if x)
    return out


def _add_apology(ctx: Ctx, name: str, received: bool, pas: Passage) -> None:
    actor, written, _ = split_actor(name, ctx.gz)
    if actor is None:
        actor = ctx.unresolved(written, pas, "state")
    if any(a.actor.key == actor.key and a.received == received for a in ctx.ex.apologies):
        return
    ctx.ex.apologies.append(ApologyRecord(actor, received, pas))


# --- holdings in headings and sentences ----------------------------------------------------

_OTHER_TREATY = re.compile(r"\b(?:APMBC|CCW|Mine\s+Ban|MBT|Ottawa|ATT)\b")


def read_heading_holdings(ctx: Ctx) -> None:
    """'5.1 Universalization (Ecuador and Zambia)': coordinators of the heading's area."""
    for p in ctx.paras:
        if p.kind != "heading" or not p.heading:
            continue
        title = p.heading.title
        m = re.search(r"\((?P<who>[^()]+)\)\s*$", title)
        if not m or _OTHER_TREATY.search(title):
            continue
        areas = ctx.gz.find_areas(title[: m.start()])
        states = [s for s in ctx.gz.find_states(m.group("who"))]
        if len(areas) != 1 or not states:
            continue
        for s in states:
            actor = ActorRef("state", s.key, s.written, ctx.gz.state_labels.get(s.key, s.written))
            add_holding(ctx, actor, "coordinator", ctx.para_passage(p), area=areas[0].key)


def section_area(ctx: Ctx, p: Paragraph) -> str | None:
    """The thematic area named by the enclosing (sub)section heading, if exactly one."""
    for h in reversed(p.parents):
        areas = {a.key for a in ctx.gz.find_areas(h.title)}
        if len(areas) == 1 and not _OTHER_TREATY.search(h.title):
            return areas.pop()
    return None


def _tokenise(ctx: Ctx, text: str) -> tuple[str, list[tuple[str, str, str]]]:
    """Replace States, adjectives and areas with ⟨Sn⟩/⟨Jn⟩/⟨An⟩ tokens for pattern rules."""
    hits: list[tuple[int, int, str, str, str]] = []
    for m in ctx.gz.find_states(text):
        hits.append((m.start, m.end, "S", m.key, m.written))
    for m in ctx.gz.find_areas(text):
        hits.append((m.start, m.end, "A", m.key, m.written))
    for m in ctx.gz.find_adjectives(text):
        hits.append((m.start, m.end, "J", m.key, m.written))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out: list[str] = []
    table: list[tuple[str, str, str]] = []
    pos = 0
    for s, e, kind, key, written in hits:
        if s < pos:
            continue
        out.append(text[pos:s])
        out.append(f"⟨{kind}{len(table)}⟩")
        table.append((kind, key, written))
        pos = e
    out.append(text[pos:])
    return "".join(out), table


_S = r"⟨S\d+⟩"
_SLIST = rf"(?P<who>(?:the\s+)?{_S}(?:(?:\s*,\s*|\s+and\s+)(?:the\s+)?{_S})*)"
_A = r"(?P<area>⟨A\d+⟩)"
_COORD = r"(?:co-?)?coordinators?"
_HOLDING_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "coordinator",
        re.compile(
            rf"{_SLIST},?\s+(?:\w+\s+){{0,2}}on\s+behalf\s+of\s+the\s+{_COORD}\s+(?:on|of|for)\s+(?:the\s+)?{_A}",
            re.I,
        ),
    ),
    (
        "coordinator",
        re.compile(
            rf"{_SLIST},?\s+(?:\w+\s+){{0,2}}on\s+behalf\s+of\s+the\s+{_A}\s+{_COORD}", re.I
        ),
    ),
    (
        "coordinator",
        re.compile(
            rf"on\s+behalf\s+of\s+the\s+{_COORD}\s+(?:on|of|for)\s+(?:the\s+)?{_A}(?:\s+\w+){{0,3}},\s+{_SLIST}",
            re.I,
        ),
    ),
    ("coordinator", re.compile(rf"{_COORD}\s+(?:on|of|for)\s+(?:the\s+)?{_A},\s+{_SLIST}", re.I)),
    (
        "coordinator",
        re.compile(rf"{_SLIST},\s+(?:the\s+)?{_COORD}\s+(?:on|of|for)\s+(?:the\s+)?{_A}", re.I),
    ),
    (
        "coordinator",
        re.compile(
            rf"{_SLIST},?\s+in\s+its\s+capacity\s+as\s+(?:the\s+)?{_COORD}\s+(?:on|of|for)\s+(?:the\s+)?{_A}",
            re.I,
        ),
    ),
    ("coordinator-section", re.compile(rf"\b(?:the\s+)?{_COORD}\s+{_SLIST}", re.I)),
    (
        "friend",
        re.compile(
            rf"as\s+friend\s+(?:on|of|for)\s+(?:matters\s+pertaining\s+to\s+)?(?:the\s+)?{_A}\s*,?\s+{_SLIST}",
            re.I,
        ),
    ),
    (
        "friend",
        re.compile(
            rf"friend\s+(?:on|of|for)\s+(?:matters\s+pertaining\s+to\s+)?(?:the\s+)?{_A}\s*,\s+{_SLIST}",
            re.I,
        ),
    ),
    (
        "friend-topic",
        re.compile(
            rf"as\s+friend\s+(?:on|of|for)\s+(?:matters\s+pertaining\s+to\s+)?(?P<topic>[^,⟨]{{8,120}}),\s+{_SLIST}",
            re.I,
        ),
    ),
    (
        "president-in-capacity",
        re.compile(
            rf"{_SLIST},?\s+in\s+its\s+capacity\s+as\s+(?:the\s+)?(?P<mref>\d{{1,2}}\s*(?:MSP|RC))\s+Presiden(?:cy|t)",
            re.I,
        ),
    ),
    (
        "president",
        re.compile(rf"{_SLIST},?\s+as\s+(?:the\s+)?President\b(?![\s-]*(?:designate|elect))", re.I),
    ),
    ("president-adj", re.compile(r"(?P<who>⟨[SJ]\d+⟩)\s+Presidency\b")),
]


def read_sentence_holdings(ctx: Ctx, friends: bool = False) -> None:
    """Posts stated in running text ('Norway, on behalf of the Coordinators on …')."""
    for p in ctx.paras:
        if p.kind == "heading":
            continue
        sec_area = section_area(ctx, p)
        for s, e, sent in sentences(p):
            tok, table = _tokenise(ctx, sent)
            pas = ctx.passage(s, e, p.section)
            for rule, rx in _HOLDING_RULES:
                if rule.startswith("friend") != friends and rule.startswith(("friend", "coord")):
                    continue
                for m in rx.finditer(tok):
                    if _OTHER_TREATY.search(tok[max(0, m.start() - 12) : m.end()]):
                        continue
                    _apply_rule(ctx, rule, m, table, pas, sec_area)


def _refs(group: str, table: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    return [table[int(i)] for i in re.findall(r"⟨[SJA](\d+)⟩", group)]


def _apply_rule(
    ctx: Ctx,
    rule: str,
    m: re.Match[str],
    table: list[tuple[str, str, str]],
    pas: Passage,
    sec_area: str | None,
) -> None:
    who = [r for r in _refs(m.group("who"), table) if r[0] in "SJ"]
    actors = [ActorRef("state", k, w, ctx.gz.state_labels.get(k, w)) for _, k, w in who]
    if rule.startswith("president"):
        meeting = None
        if "mref" in m.groupdict() and m.group("mref"):
            refs = md.find_meeting_refs(m.group("mref"))
            meeting = refs[0][0] if refs else None
        if rule == "president-adj":
            meeting = ctx_president_meeting(ctx)
        for a in actors:
            add_holding(ctx, a, "president", pas, meeting=meeting)
        return
    if rule == "friend-topic":
        topic = m.group("topic").strip()
        if ctx.gz.find_areas(topic) or _tokenised(topic):
            return
        topic = re.sub(r"^(?:the\s+)", "", topic)
        for a in actors:
            add_holding(ctx, a, "friend", pas, topic=topic)
        return
    if rule == "coordinator-section":
        if sec_area:
            for a in actors:
                add_holding(ctx, a, "coordinator", pas, area=sec_area)
        return
    areas = [r for r in _refs(m.group("area"), table) if r[0] == "A"]
    post: PostKind = "friend" if rule == "friend" else "coordinator"
    for _, area, _ in areas:
        for a in actors:
            add_holding(ctx, a, post, pas, area=area)


def _tokenised(text: str) -> bool:
    return "⟨" in text


def ctx_president_meeting(ctx: Ctx) -> MeetingRef | None:
    """The MSP/RC whose presidency the title names ('Friends of the President of the 1MSP')."""
    title = ctx.ex.document.title or ""
    if re.search(r"\bpresident\b", title, re.I):
        refs = md.find_meeting_refs(title)
        if refs:
            return refs[0][0]
    return None


# --- obligations ---------------------------------------------------------------------------

_ARTICLE = re.compile(r"\bArticles?\s+(?P<n>\d{1,2})(?:\s+and\s+(?P<n2>\d{1,2}))?", re.I)
_KEYWORD_ARTICLE: list[tuple[re.Pattern[str], int]] = [
    (re.compile(r"\bstockpil\w*", re.I), 3),
    (re.compile(r"\bclearance\b|\bcontaminat\w*|\bremnants\b", re.I), 4),
    (re.compile(r"\btransparency\b|\binitial\s+reports?\b|\bannual\s+reports?\b", re.I), 7),
]
_AREA_ARTICLE = {
    "stockpile-destruction-and-retention": 3,
    "clearance-and-risk-reduction": 4,
    "transparency-measures": 7,
}
_EVENT_CUES: list[tuple[str, re.Pattern[str]]] = [
    (
        "extension-request-announced",
        re.compile(
            r"(?:would|will|intends?\s+to|plans?\s+to|to)\s+(?:be\s+)?submit(?:ting)?\s+(?:an?\s+)?"
            r"(?:Article\s+\d\s+)?extension\s+request|would\s+begin\s+preparing\s+the\s+extension",
            re.I,
        ),
    ),
    (
        "extension-granted",
        re.compile(
            r"extension\s+request[^.;]{0,60}\b(?:approved|granted)\b|(?:approved|granted)\s+[^.;]{0,30}"
            r"extension",
            re.I,
        ),
    ),
    (
        "extension-requested",
        re.compile(
            r"(?:submitted|as\s+part\s+of)\s+(?:its\s+|an\s+)?(?:Article\s+\d\s+)?extension\s+request|"
            r"extension\s+request\s+(?:was\s+|had\s+been\s+)?submitted",
            re.I,
        ),
    ),
    (
        "completion-declared",
        re.compile(
            r"\b(?:declared|has\s+declared|had\s+declared|announced)\s+(?:its\s+)?(?:completion|compliance)",
            re.I,
        ),
    ),
    ("report-overdue", re.compile(r"\boverdue\b|\blate\s+report", re.I)),
    (
        "report-submitted",
        re.compile(
            r"\bsubmitted\s+(?:its|their)\s+(?:initial\s+|annual\s+)?"
            r"(?:Article\s+7\s+|transparency\s+)?reports?",
            re.I,
        ),
    ),
    (
        "bilateral-follow-up",
        re.compile(
            r"\b(?:met|meeting|meetings)\s+(?:virtually\s+)?with\b|\bapproached\b|\brepresentations?\s+to\b|"
            r"\bfollow(?:ed|ing)?[\s-]up\s+with\b|\bletters?\b[^.;]{0,80}\bsent\b|\bsent\b[^.;]{0,40}"
            r"\bletters?\b|\bdemarches?\b|\bcountry\s+coalition\b|\bengage(?:d|ment)?\s+with\b",
            re.I,
        ),
    ),
    (
        "implementation-update",
        re.compile(
            r"\bupdate\s+on\s+its\b|\bon\s+track\s+to\b|\bstalled\b|\bprogress\s+(?:in|on)\s+its\b|"
            r"\bimplementation\s+of\s+its\b",
            re.I,
        ),
    ),
]
_OBLIGATION_CONTEXT = re.compile(
    r"\bArticles?\s+[347]\b|\bobligations?\b|\bextension\s+requests?\b|\bstockpil|\bclearance\b|"
    r"\breports?\b|\bcompl(?:y|iance)\b",
    re.I,
)


def _article_of(text: str, sec_text: str, sec_area: str | None) -> int | None:
    nums = [int(m.group("n")) for m in _ARTICLE.finditer(text)]
    nums += [int(m.group("n2")) for m in _ARTICLE.finditer(text) if m.group("n2")]
    nums = [n for n in nums if n in (3, 4, 7)]
    if len(set(nums)) == 1:
        return nums[0]
    if sec_area in _AREA_ARTICLE:
        return _AREA_ARTICLE[sec_area]
    found = {n for rx, n in _KEYWORD_ARTICLE if rx.search(text)}
    if len(found) == 1:
        return found.pop()
    nums = [
        int(m.group("n")) for m in _ARTICLE.finditer(sec_text) if int(m.group("n")) in (3, 4, 7)
    ]
    if len(set(nums)) == 1:
        return nums[0]
    if "extension request" in text.lower():
        return None
    return None


def read_obligations(ctx: Ctx, coordinators: set[str]) -> None:
    """Article 3/4/7 events tied to a State, where a sentence ties them.

    The State must be the object of the sentence: speakers who report as coordinators or as
    the presidency are not the State the obligation is about, unless the section is about them.
    """
    for p in ctx.paras:
        if p.kind == "heading":
            continue
        sec_title = " ".join(h.title for h in p.parents)
        sec_area = section_area(ctx, p)
        sec_states = {
            m.key
            for h in p.parents[-1:]
            for m in ctx.gz.find_states(h.title)
            if h.level == 3 or not ctx.gz.find_areas(h.title)
        }
        for s, e, sent in sentences(p):
            if not _OBLIGATION_CONTEXT.search(sent + " " + sec_title):
                continue
            article = _article_of(sent, sec_title, sec_area)
            if article is None:
                continue
            events = [ev for ev, rx in _EVENT_CUES if rx.search(sent)]
            if not events:
                continue
            states = _object_states(ctx, sent, coordinators, sec_states)
            pas = ctx.passage(s, e, p.section)
            for key, written in states:
                actor = ActorRef("state", key, written, ctx.gz.state_labels.get(key, written))
                for ev in events:
                    if ev == "report-overdue" and article != 7:
                        continue
                    if any(
                        (o.state.key, o.article, o.event, o.passage) == (key, article, ev, pas)
                        for o in ctx.ex.obligation_events
                    ):
                        continue
                    ctx.ex.obligation_events.append(
                        ObligationEventRecord(actor, article, ev, pas, text=sent.strip())
                    )


def _object_states(
    ctx: Ctx, sent: str, coordinators: set[str], sec_states: set[str]
) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for m in ctx.gz.find_states(sent):
        if m.key in seen:
            continue
        if m.key in coordinators and m.key not in sec_states:
            continue
        if re.search(r"\b[A-Z][a-z]+,\s*$", sent[: m.start]) and not ctx.gz.state(
            re.findall(r"([A-Z][a-z]+),\s*$", sent[: m.start])[0]
        ):
            continue  # "in Dakar, Senegal": a place named for a city, not the State concerned
        # "X had indicated its interest in … a country coalition to assist Y": X is a helper.
        after = sent[m.end : m.end + 40]
        if re.match(
            r"\s+had\s+indicated\s+its\s+interest|\s+has\s+an\s+embassy|,?\s+in\s+its\s+capacity",
            after,
        ) or re.match(r"\s+had\s+an\s+embassy", after):
            continue
        seen.add(m.key)
        out.append((m.key, m.written))
    if not out:
        for key in sorted(sec_states):
            if re.search(r"\b(?:it|its|they|their)\b", sent, re.I):
                out.append((key, ctx.gz.state_labels.get(key, key)))
    return out


_AGG = re.compile(
    r"(?<![\d'’.,])(?<!Article\s)(?<!Articles\s)(?P<n>\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"fifteen|twenty|thirty|forty|fifty)\s+(?:(?:more|additional|other|further)\s+)?"
    r"(?P<what>States?\s+Parties|States?|signatory\s+states?|signatories|countries|"
    r"(?:initial\s+|annual\s+)?(?:transparency\s+|Article\s+7\s+)?reports)\b",
    re.I,
)
_NUM_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ]
    )
} | {"fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}


def read_aggregates(ctx: Ctx) -> None:
    """Counts of States about an obligation ('9 States Parties with overdue initial reports')."""
    for p in ctx.paras:
        if p.kind == "heading":
            continue
        sec_area = section_area(ctx, p)
        for s, e, sent in sentences(p):
            for m in _AGG.finditer(sent):
                window = sent[m.start() : m.end() + 120]
                article = _aggregate_article(window, sent, sec_area)
                if article is None:
                    continue
                tok = m.group("n").lower()
                n = int(tok) if tok.isdigit() else _NUM_WORDS.get(tok)
                if n is None:
                    continue
                pas = ctx.passage(s, e, p.section)
                ctx.ex.aggregate_statements.append(
                    AggregateStatementRecord(article, n, sent.strip(), pas)
                )


def _aggregate_article(window: str, sent: str, sec_area: str | None) -> int | None:
    w = window.lower()
    if re.search(
        r"contribut|paid|payment|budget|fund|signatory\s+states\s+to\s+discuss|workshop", w[:80]
    ):
        return None
    if re.search(r"\breports?\b|\breporting\b|article\s+7|transparency", w):
        return 7
    if re.search(r"stockpil|article\s+3", w):
        return 3
    if re.search(r"clearance|contaminat|article\s+4|extension", w):
        return 4
    return None


# --- agenda, action points, minutes, next meeting ----------------------------------------

_ATTENDANCE_HEAD = re.compile(
    r"^(?:present|attendees|apologies(?:\s+(?:not\s+)?received)?|list of attendees|participants)"
    r"\s*:?\s*$",
    re.I,
)


def read_numbered_agenda(ctx: Ctx, max_level: int = 2) -> None:
    """Numbered section headings (items and sub-items) as agenda items."""
    for p in ctx.paras:
        h = p.heading
        if p.kind != "heading" or not h or not h.number or h.level > max_level or h.level < 1:
            continue
        if _ATTENDANCE_HEAD.match(h.title):
            continue
        ctx.ex.agenda.append(AgendaItemRecord(h.number, h.title.strip(), ctx.para_passage(p)))


_ACTION_INLINE = re.compile(r"^(?:action\s+points?|AP)\s*:\s*(?P<t>.+)$", re.I)


def read_action_points(ctx: Ctx) -> None:
    """'Action point: …' lines and the items of an 'Action points:' block."""
    in_block = {id(p) for b in ctx.blocks if b.label == "action-points" for p in b.items}
    for p in ctx.paras:
        body = p.body
        m = _ACTION_INLINE.match(body)
        if m:
            text = m.group("t")
        elif id(p) in in_block:
            text = body
        else:
            continue
        text = " ".join(text.split())
        if not text:
            continue
        resp_text, responsible = _responsible(ctx, text)
        dates = md.find_dates(text, ctx.years)
        due = next((d for d in dates if d.date), None)
        ctx.ex.action_points.append(
            ActionPointRecord(
                text,
                ctx.para_passage(p),
                responsible,
                resp_text,
                due.date if due else None,
                due.text if due else None,
            )
        )


def _responsible(ctx: Ctx, text: str) -> tuple[str | None, list[ActorRef]]:
    m = re.match(r"^(?P<who>[^.;]{2,160}?)\s+to\s+\w+", text)
    if m and not re.match(r"(?i)it\s+was|the\s+\w+\s+(?:informed|assured|stated)", m.group("who")):
        who = m.group("who")
    else:
        m2 = re.match(
            r"^(?:It\s+was\s+agreed\s+that\s+)?(?:the\s+)?(?P<who>[A-Z][\w -]{1,60}?)\s+"
            r"(?:would|will|informed|assured)\b",
            text,
        )
        who = m2.group("who") if m2 else None
    if not who:
        return None, []
    actors = [ctx.gz.actor(x.written) for x in ctx.gz.find_actors(who)]
    return who.strip(), [a for a in actors if a]


_APPROVAL = re.compile(r"approv\w*|adopt\w*", re.I)


def read_minutes_approvals(ctx: Ctx) -> None:
    """'The minutes of the meeting held on D were approved'; two dates -> a conflict."""
    for p in ctx.paras:
        if not re.search(r"\bminutes\b", p.text, re.I) or not _APPROVAL.search(p.text):
            continue
        for s, e, sent in sentences(p):
            if not (re.search(r"\bminutes\b", sent, re.I) or p.kind == "heading"):
                continue
            if not (_APPROVAL.search(sent) or (p.section and _section_is_approval(ctx, p))):
                continue
            for d in md.find_dates(sent, ctx.years):
                if d.date:
                    pas = ctx.passage(s, e, p.section)
                    ctx.ex.minutes_approvals.append(MinutesApprovalRecord(d.date, pas))
    distinct = sorted({a.minutes_date for a in ctx.ex.minutes_approvals if a.minutes_date})
    if len(distinct) > 1:
        ctx.ex.conflicts.append(
            ConflictRecord(
                "date of the approved minutes",
                [a.passage for a in ctx.ex.minutes_approvals],
                [d.isoformat() for d in distinct],
            )
        )


def _section_is_approval(ctx: Ctx, p: Paragraph) -> bool:
    return bool(p.section_title and _APPROVAL.search(p.section_title))


_NEXT = re.compile(
    r"\bnext\s+(?:(?:CC|CorCom|Coordination\s+Committee|Friends|Committee)\s+)?meeting\b"
    r"(?:\s+of\s+(?:the\s+)?(?:Coordination\s+Committee|Friends|CorCom))?",
    re.I,
)
_WILL = re.compile(
    r"\b(?:would|will|shall|is\s+to)\s+(?:likely\s+|probably\s+)?"
    r"(?:be\s+held|take\s+place|be)\b|"
    r"\btentative\s+date|\bscheduled\b",
    re.I,
)
_MONTH_ONLY = re.compile(
    r"\b(?:(?:early|mid|late|end\s+of|beginning\s+of)[\s-]+)?(?:January|February|March|April|May|"
    r"June|July|August|September|October|November|December)(?:\s+(?:19|20)\d{2})?\b",
    re.I,
)


def read_next_meeting(ctx: Ctx) -> None:
    """The next meeting announced: date (or the words used), time and venue."""
    for p in ctx.paras:
        if p.kind == "heading":
            continue
        for s, e, sent in sentences(p):
            nm = _NEXT.search(sent)
            if not nm or (
                not _WILL.search(sent[nm.end() :]) and not _WILL.search(sent[: nm.start()])
            ):
                continue
            tail = sent[nm.start() :]
            dates = [d for d in md.find_dates(tail, ctx.years) if d.date]
            date = dates[0] if dates else None
            date_text = date.text if date else None
            if not date:
                mo = _MONTH_ONLY.search(tail)
                date_text = mo.group(0) if mo else None
            if not date and not date_text:
                continue
            venue = None
            vm = re.search(
                r"\bat\s+(?:the\s+|their\s+|its\s+)?(?P<v>[^.;]*?(?:Mission|Room|Palais|"
                r"Maison|Centre|Center|Embassy|mission)[^.;]*?)(?=,?\s+at\s+\d|,?\s+on\s+|"
                r"[.;]|$)",
                sent,
            )
            if vm:
                venue = vm.group("v").strip(" ,")
            if venue is None:
                host = _host_venue(ctx, p)
                if host:  # the passage then spans both sentences: date and venue
                    venue, s, e = host[0], min(s, host[1]), max(e, host[2])
            ctx.ex.next_meeting = NextMeetingRecord(
                ctx.passage(s, e, p.section),
                date.date if date else None,
                date_text.strip(" .,;") if date_text else None,
                md.find_start_time(tail),
                venue,
                date_inferred=bool(date and date.inferred),
            )
            return


_VENUE_AT = re.compile(
    r"\bat\s+(?:the\s+|their\s+|its\s+)?(?P<v>[^.;]*?(?:Mission|Room|Palais|Maison|Centre|Center|"
    r"Embassy|mission)[^.;]*?)(?=,?\s+at\s+\d|,?\s+on\s+|[.;]|$)"
)


def _host_venue(ctx: Ctx, p: Paragraph) -> tuple[str, int, int] | None:
    """'X has offered to host the next meeting … at their mission …' in the same paragraph:
    (venue, sentence start, sentence end)."""
    for s, e, sent in sentences(p):
        nm = _NEXT.search(sent)
        if nm and re.search(r"\bhost", sent, re.I):
            vm = _VENUE_AT.search(sent[nm.end() :])
            if vm:
                return vm.group("v").strip(" ,"), s, e
    return None


def holders_of(ctx: Ctx, *posts: str) -> set[str]:
    return {h.holder.key for h in ctx.ex.holdings if h.post in posts}


def free_topic_slug(topic: str) -> str:
    return slug(topic)

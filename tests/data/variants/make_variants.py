"""How the variant documents here were made from the corpus (run once; outputs are committed).

Each variant changes one trait of a corpus document the way the real record varies; its gold
file (same stem, .yaml) says `same_as` the corpus gold and overrides only what the change
alters. Run: python tests/data/variants/make_variants.py
"""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).parent
CORPUS = HERE.parents[2] / "corpus"
C000 = (CORPUS / "000_9b7beb69bcb879ab.txt").read_text(encoding="utf-8")
C001 = (CORPUS / "001_233ef62625cd0530.txt").read_text(encoding="utf-8")
C002 = (CORPUS / "002_bf5ea00c130fc4ab.txt").read_text(encoding="utf-8")
C003 = (CORPUS / "003_7f64184f6725a29d.txt").read_text(encoding="utf-8")
C004 = (CORPUS / "004_0e4a5c60b8a90f69.txt").read_text(encoding="utf-8")


def attendee_block_000() -> tuple[str, str, str]:
    """(before, block, after) around the PRESENT..APOLOGIES lists of 000."""
    start = C000.index("1. PRESENT:")
    end = C000.index("2. Opening Remarks")
    return C000[:start], C000[start:end], C000[end:]


def delegations_000() -> list[tuple[str, list[str]]]:
    _, block, _ = attendee_block_000()
    lines = [ln.strip() for ln in block.split("APOLOGIES RECEIVED")[0].splitlines()[1:]]
    out: list[tuple[str, list[str]]] = []
    for ln in lines:
        if not ln:
            continue
        ln = re.sub(r"</?u>", "", ln)
        if re.match(r"^(H\.E\.|Mr\.|Ms\.)", ln):
            out[-1][1].append(ln)
        else:
            out.append((ln, []))
    return out


def table_000() -> str:
    before, block, after = attendee_block_000()
    rows = ["1. PRESENT:", "", "| Delegation | Representative | Role |", "|---|---|---|"]
    for actor, persons in delegations_000():
        for i, p in enumerate(persons):
            name, _, role = p.partition(" - ")
            rows.append(f"| {actor if i == 0 else ''} | {name} | {role} |")
    apologies = block[block.index("APOLOGIES RECEIVED") :]
    return before + "\n".join(rows) + "\n\n" + apologies + after


def oneline_000() -> str:
    before, _block, after = attendee_block_000()
    rows = ["1. PRESENT:", ""]
    for actor, persons in delegations_000():
        actor = actor.replace(" – ", " (") + (")" if " – " in actor else "")
        people = "; ".join(p.replace(" - Intern", " (Intern)") for p in persons)
        rows += [f"{actor}: {people}", ""]
    rows += [
        "Apologies received: Bosnia and Herzegovina, Ecuador and New Zealand",
        "",
        "Apologies not received: Croatia",
        "",
    ]
    return before + "\n".join(rows) + after


def roman_000() -> str:
    romans = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
    out = []
    for ln in C000.splitlines():
        m = re.match(r"^(\d{1,2})\. (.*)$", ln)
        s = re.match(r"^(\d)\.(\d) (.*)$", ln)
        if m:
            ln = f"{romans[int(m.group(1)) - 1]}. {m.group(2)}"
        elif s:
            ln = f"{romans[int(s.group(1)) - 1]}.{s.group(2)} {s.group(3)}"
        out.append(ln)
    return "\n".join(out)


ALIASES_000 = [
    ("The Netherlands – 6MSP President", "Kingdom of the Netherlands – 6MSP President"),
    ("Czech Republic\n", "Czechia\n"),
    ("(Czech Republic and Switzerland)", "(Czechia and Switzerland)"),
    ("Bosnia & Herzegovina and Norway", "Bosnia-Herzegovina and Norway"),
    ("\nCluster Munition Coalition\n", "\nCluster Munition Coalition (CMC)\n"),
    ("\nUNODA\n", "\nUN ODA\n"),
    ("Secretariat - CCM ISU", "Implementation Support Unit (ISU)"),
    ("5.1 Universalization (Ecuador", "5.1 Universalisation (Ecuador"),
    ("5.2 <u>Clearance and Risk Reduction</u>", "5.2 <u>Clearance and Risk Education</u>"),
    ("5.5 <u>Transparency Reporting</u>", "5.5 <u>Transparency Measures</u>"),
    ("exception of Guinea Bissau", "exception of Guinea-Bissau"),
]


def aliases_000() -> str:
    text = C000
    for a, b in ALIASES_000:
        assert a in text, a
        text = text.replace(a, b)
    return text


def pagenoise_000() -> str:
    text = C000.replace("\n4.3 ", "\n- 3 -\n\n4.3 ").replace("\n5.5 ", "\nPage 4 of 7\n\n5.5 ")
    text = text.replace("\n7. Updates", "\n12\n\n7. Updates")
    text = re.sub(r"^- ", "• ", text, flags=re.M)
    text = text.replace(
        "2. Opening Remarks by the President", "## **2. Opening Remarks by the President**"
    )
    return text.replace("6th Meeting of States Parties", "6<sup>th</sup> Meeting of States Parties")


def virtual_000() -> str:
    text = C000.replace(
        "MINUTES OF THE CCM COORDINATION COMMITTEE MEETING",
        "MINUTES OF THE VIRTUAL CCM COORDINATION COMMITTEE MEETING",
    )
    return text.replace("Held on Thursday, 26 May 2016", "Held on Thursday, 26 May")


def accents_001() -> str:
    for a, _b in [
        ("Masméjan", "Masmejan"),
        ("Inès", "Ines"),
        ("Ražnatović", "Raznatovic"),
        ("Martínez", "Martinez"),
        ("Sabah Al-Janaby", "Sabah Al Janaby"),
    ]:
        assert a in C001, a
    return (
        C001.replace("Masméjan", "Masmejan")
        .replace("Inès", "Ines")
        .replace("Ražnatović", "Raznatovic")
        .replace("Martínez", "Martinez")
        .replace("Sabah Al-Janaby", "Sabah Al Janaby")
    )


def unknown_org_001() -> str:
    return C001.replace(
        "#### Implementation Support Unit",
        "#### Mine Action Review Collective\n\nMs. Jane Doe\n\n#### Implementation Support Unit",
    )


def dateformats_001() -> str:
    text = C001.replace(
        "held on Wednesday 1<sup>st</sup> December 2021", "held on Wednesday, December 1st, 2021"
    )
    text = text.replace("from 10:00 to 11:30 hours", "from 10.00 – 11.30 hrs")
    return text.replace("held on 2 November 2021", "held on 2 Nov. 2021")


def table_002() -> str:
    start = C002.index("List of Attendees:")
    end = C002.index("Intro by President")
    rows = ["List of Attendees:", "", "| Delegation | Role |", "| --- | --- |"]
    for ln in C002[start:end].splitlines()[1:]:
        m = re.match(r"^- (?P<a>[^(]+?)(?: \((?P<r>.*)\))?,?\s*$", ln.strip())
        if not m:
            continue
        a, r = m.group("a"), m.group("r") or ""
        if a.startswith("UNDP"):
            a, r = "UNDP", "in capacity of Exec Coord team"
        rows.append(f"| {a} | {r} |")
    return C002[:start] + "\n".join(rows) + "\n\n" + C002[end:]


def noyear_004() -> str:
    text = C004.replace("\n1 February 2011\n", "\nTuesday 1 February\n", 1)
    return text.replace(
        "Friends meeting, 1 February 2011, 13:00", "Friends meeting, Tuesday 1 February, 13:00"
    )


def loanword_003() -> str:
    return C003.replace(
        "Reflections and options regarding the Convention's machinery",
        "Aide-mémoire: réflexions and options regarding the Convention's machinery",
    )


def spanish_004() -> str:
    return C004.replace(
        "Meeting of the Friends of the President of the 1MSP to the CCM",
        "Meeting of the Friends of the President of the 1MSP to the CCM – Acta y puntos de acción",
    )


VARIANTS = {
    "000-variant-table": table_000,
    "000-variant-oneline": oneline_000,
    "000-variant-roman": roman_000,
    "000-variant-aliases": aliases_000,
    "000-variant-pagenoise": pagenoise_000,
    "000-variant-virtual-noyear": virtual_000,
    "001-variant-accents": accents_001,
    "001-variant-unknown-org": unknown_org_001,
    "001-variant-dateformats": dateformats_001,
    "002-variant-table": table_002,
    "003-variant-loanword": loanword_003,
    "004-variant-noyear": noyear_004,
    "004-variant-spanish-title": spanish_004,
}

if __name__ == "__main__":
    for name, make in VARIANTS.items():
        (HERE / f"{name}.txt").write_text(make(), encoding="utf-8")
        print("wrote", name)

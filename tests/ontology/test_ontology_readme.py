"""ontology/README.md: its worked example parses, conforms and quotes the corpus truthfully;
its SPARQL answers the question it asks; its diagram names only real classes."""

from __future__ import annotations

import hashlib
import re

from ontology_shacl_run import ontology, validate
from rdflib import OWL, RDF, Graph, Literal, Namespace, URIRef

from ccmkg.resources import corpus_dir, ontology_file

OA = Namespace("http://www.w3.org/ns/oa#")
README = ontology_file().with_name("README.md")
CCM_NS = "https://ccm-kg.org/ontology#"
PREFIXES = {
    "ccm": CCM_NS,
    "org": "http://www.w3.org/ns/org#",
    "time": "http://www.w3.org/2006/time#",
    "oa": "http://www.w3.org/ns/oa#",
    "prov": "http://www.w3.org/ns/prov#",
}


def section(title_start: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title_start}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def block(text: str, lang: str) -> str:
    match = re.search(rf"```{lang}\n(.*?)```", text, re.S)
    assert match, f"no {lang} block"
    return match.group(1)


def example() -> Graph:
    return Graph().parse(data=block(section("Worked example"), "turtle"), format="turtle")


def test_worked_example_parses_and_conforms_with_no_result() -> None:
    conforms, findings = validate(example())
    assert conforms and findings == [], findings


def test_worked_example_quotes_the_corpus_file_at_its_offsets() -> None:
    g = example()
    passages = list(g.subjects(RDF.type, URIRef(CCM_NS + "Passage")))
    assert passages
    for passage in passages:
        doc = g.value(passage, OA.hasSource)
        raw = (corpus_dir() / str(g.value(doc, URIRef(CCM_NS + "fileName")))).read_bytes()
        assert str(g.value(doc, URIRef(CCM_NS + "sha256"))) == hashlib.sha256(raw).hexdigest()
        assert str(doc).endswith(hashlib.sha256(raw).hexdigest()[:16])
        text = raw.decode("utf-8")
        selectors = list(g.objects(passage, OA.hasSelector))
        quote = next(g.value(s, OA.exact) for s in selectors if g.value(s, OA.exact))
        start = next(g.value(s, OA.start) for s in selectors if g.value(s, OA.start) is not None)
        end = next(g.value(s, OA.end) for s in selectors if g.value(s, OA.end) is not None)
        assert text[int(start) : int(end)] == str(quote)
        assert str(passage).endswith(f"/passage/{int(start)}-{int(end)}")


def test_worked_example_iris_follow_the_hash_rule_it_states() -> None:
    g = example()
    holding = next(g.subjects(RDF.type, URIRef(CCM_NS + "PostHolding")))
    holder = g.value(holding, URIRef(CCM_NS + "holder"))
    post = g.value(holding, URIRef(CCM_NS + "post"))
    role = g.value(holding, URIRef(PREFIXES["org"] + "role"))
    years = sorted(str(y) for y in g.objects(holding, URIRef(CCM_NS + "mandateYear")))
    key = f"{holder}|{post}|{role}|{years[0]}-{years[-1]}"
    assert str(holding).endswith(hashlib.sha1(key.encode()).hexdigest()[:16])


def test_readme_query_answers_who_held_the_post_and_cites_the_passage() -> None:
    query = block(section("Worked example"), "sparql")
    rows = list((example() + ontology()).query(query))
    assert len(rows) == 1
    row = rows[0]
    assert row.label == Literal("Portugal")
    assert str(row.basis) == "mandate-years"
    assert str(row.quote).startswith("Portugal")
    # …and the same query for a year outside the term finds nobody.
    assert list((example() + ontology()).query(query.replace("2013", "2015"))) == []


def test_diagram_names_only_declared_classes() -> None:
    diagram = block(section("The main classes"), "mermaid")
    onto = ontology()
    aliases = dict(re.findall(r'class (\w+)\["([\w:]+)', diagram))
    names = set(re.findall(r"^\s*(\w+) (?:<\|--|-->) (\w+)", diagram, re.M))
    used = {n for pair in names for n in pair} | set(aliases)
    assert len(used) >= 20
    for name in used:
        curie = aliases.get(name, f"ccm:{name}")
        prefix, local = curie.split(":")
        iri = URIRef(PREFIXES[prefix] + local)
        assert (iri, RDF.type, OWL.Class) in onto, curie


def test_readme_keeps_the_iri_policy_and_describes_the_decisions() -> None:
    text = README.read_text(encoding="utf-8")
    for heading in ("## IRI policy", "## Modelling decisions", "## The main classes"):
        assert heading in text
    topics = ("Attestation vs term", "Presidencies", "Participation", "Obligations", "Conflicts")
    for topic in topics:
        assert f"**{topic}.**" in text

"""The numbers of the reference layer: `python -m devtools.reference_stats [--store PATH]`.

Without --store, loads the reference data (and the bundled corpus) into a fresh temporary store
first. Prints: States loaded (States Parties / signatories), meetings dated, derived statements
per rule, facts by source (web site), conflicts found.
"""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from urllib.parse import urlparse

from ccmkg.model.namespaces import CCM_NS, PREFIXES
from ccmkg.resources import corpus_files
from ccmkg.settings import Settings
from ccmkg.store import Store, open_store

# The namespaces from the model (one prefix table), not written out again here.
P = f"""PREFIX ccm: <{CCM_NS}>
PREFIX dcterms: <{PREFIXES["dcterms"]}>
PREFIX prov: <{PREFIXES["prov"]}>
"""


def numbers(store: Store) -> dict[str, object]:
    def rows(q: str) -> list[dict[str, object]]:
        return [{k: v for k, v in r.items()} for r in store.select(P + q).rows]

    states = rows(
        """SELECT ?iso (SUM(IF(?t != "signature", 1, 0)) AS ?inst) WHERE {
        ?a a ccm:TreatyAction ; ccm:ofState ?s ; ccm:actionType ?t . ?s ccm:iso3 ?iso }
        GROUP BY ?iso"""
    )
    parties = sum(1 for r in states if int(str(r["inst"])) > 0)
    meetings = rows(
        """SELECT ?m (SAMPLE(?d) AS ?day) WHERE { ?m a ?k .
        FILTER (?k IN (ccm:MeetingOfStatesParties, ccm:ReviewConference))
        OPTIONAL { ?m dcterms:date ?d } } GROUP BY ?m"""
    )
    derived = rows(
        "SELECT ?rule (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x ccm:rule ?rule } GROUP BY ?rule"
    )
    facts = rows(
        """SELECT ?url (COUNT(DISTINCT ?f) AS ?n) WHERE {
        ?f prov:wasDerivedFrom ?s . ?s ccm:sourceURL ?url } GROUP BY ?url"""
    )
    by_site: Counter[str] = Counter()
    for r in facts:
        by_site[urlparse(str(r["url"])).netloc.lower().removeprefix("www.")] += int(str(r["n"]))
    conflicts = rows(
        """SELECT ?g (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH ?g { ?c a ccm:Conflict } }
        GROUP BY ?g"""
    )
    reference_conflicts = sum(
        int(str(r["n"])) for r in conflicts if "/graph/reference/" in str(r["g"])
    )
    return {
        "states loaded": len(states),
        "  States Parties (an instrument deposited)": parties,
        "  signatories only": len(states) - parties,
        "MSPs and Review Conferences (incl. 2RC parts)": len(meetings),
        "  with a first day": sum(1 for r in meetings if r.get("day") is not None),
        "derived statements": sum(int(str(r["n"])) for r in derived),
        **{f"  {str(r['rule']).rsplit('/', 1)[-1]}": int(str(r["n"])) for r in derived},
        "reference source pages": len(facts),
        "facts by source site": dict(by_site.most_common()),
        "conflicts in reference data": reference_conflicts,
        "conflicts in documents": sum(int(str(r["n"])) for r in conflicts) - reference_conflicts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="an existing store (default: load into a temporary one)")
    args = parser.parse_args()
    if args.store:
        store = open_store(Settings(store=args.store, query_workers=1))
    else:
        from ccmkg.loaders.pipeline import load_paths
        from ccmkg.loaders.reference.load import load_reference

        settings = Settings(store=tempfile.mkdtemp(prefix="ccmkg-stats-"), query_workers=1)
        store = open_store(settings)
        load_paths(store, settings, corpus_files())
        load_reference(store, settings)
    try:
        for key, value in numbers(store).items():
            if isinstance(value, dict):
                print(key)
                for k, v in value.items():
                    print(f"  {k}: {v}")
            else:
                print(f"{key}: {value}")
    finally:
        store.close()


if __name__ == "__main__":
    main()

"""Reference data (package `ccmkg.reference`) → named graphs, and the rules derived from it.

- `rows`: the CSV files read into typed rows, and the conflicts between their sources;
- `iris`: every IRI and named graph this package mints (one place, to be re-pointed to
  ccmkg.model later);
- `emit`: rows → one rdflib Graph per source page;
- `derive`: the rules of queries/rules/*.rq run against the store into `graph/derived/...`;
- `load`: validate (SHACL), write atomically, re-derive.
"""

"""Identity, in one place: IRI patterns, the ontology's vocabularies, names and resolvers.

The lowest layer of the package (see the import-linter contract in pyproject.toml): loaders,
the API, the CLI and the core all mint and parse IRIs, fold names and resolve what a person
typed through these modules, so a spelling accepted in one place is accepted everywhere.
"""

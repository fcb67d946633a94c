"""Moved to ccmkg.model; these aliases go once api/ and loaders/ import the new place."""

from __future__ import annotations

from ccmkg.model.names import fold, squash
from ccmkg.model.vocab import Term as Area
from ccmkg.model.vocab import vocabulary


class _Areas:
    @property
    def slugs(self) -> list[str]:
        return vocabulary().areas.slugs

    def resolve(self, text: str) -> Area | None:
        return vocabulary().areas.resolve(text)

    def by_iri(self, iri: str) -> Area | None:
        return vocabulary().areas.by_iri(iri)


class _States:
    def resolve(self, text: str) -> str | None:
        from ccmkg.model.resolve import resolver

        hit = resolver().state(text, codes=True)
        return hit[0] if hit else None

    def label(self, iso3: str) -> str:
        from ccmkg.model.resolve import resolver

        return resolver().state_label(iso3)


def area_index() -> _Areas:
    return _Areas()


def state_index() -> _States:
    return _States()


__all__ = ["Area", "area_index", "fold", "squash", "state_index"]

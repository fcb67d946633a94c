"""A store with the bundled corpus and reference data, and an HTTP client on it (per module)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ccmkg.api.main import create_app
from ccmkg.loaders.reference.load import ReferenceReport
from ccmkg.settings import Settings
from ccmkg.store import Store, open_store
from devtools.rel_support import copy_store


@pytest.fixture(scope="module")
def loaded(
    corpus_reference_template: tuple[Path, ReferenceReport],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Settings, Store, ReferenceReport]]:
    """A private copy of the session's corpus-and-reference store, for this module."""
    template, report = corpus_reference_template
    location = copy_store(template, tmp_path_factory.mktemp("ref") / "store")
    settings = Settings(store=str(location), query_workers=1)
    store = open_store(settings)
    yield settings, store, report
    store.close()


@pytest.fixture(scope="module")
def client(loaded: tuple[Settings, Store, ReferenceReport]) -> Iterator[TestClient]:
    settings, store, _ = loaded
    with TestClient(create_app(settings, store)) as c:
        yield c


HEADERS = {
    "meetings.csv": "meeting,kind,number,part,start_date,end_date,city,country_iso3,"
    "presiding_state_iso3,president_person,president_designated_on,status,source_url,retrieved",
    "designations.csv": "meeting,state_iso3,person,designated_at_meeting,designated_on,"
    "source_url,retrieved",
    "states.csv": "state_iso3,state_name,signature_date,instrument,instrument_date,source_url,"
    "retrieved",
    "extensions.csv": "state_iso3,article,submitted_on,decided_at_meeting,decision,"
    "original_deadline,new_deadline,source_url,retrieved",
    "completions.csv": "state_iso3,article,completed_on,declared_at_meeting,source_url,retrieved",
    "obligation_scope.csv": "state_iso3,article,basis,as_of,source_url,retrieved",
}


def write_reference(folder: Path, **rows: list[str]) -> Path:
    """A reference folder: every file with its header, and the given rows (file stem → lines)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, header in HEADERS.items():
        lines = [header, *rows.get(name.removesuffix(".csv"), [])]
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder

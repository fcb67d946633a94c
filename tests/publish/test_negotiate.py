"""The Accept-header negotiation used by every publishing route."""

from __future__ import annotations

import pytest

from ccmkg.api.linking import negotiate
from ccmkg.errors import NotAcceptable

OFFERED = ["text/html", "text/turtle", "application/ld+json"]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/html"),
        ("*/*", "text/html"),
        ("text/turtle", "text/turtle"),
        ("application/ld+json;q=0.9, text/turtle;q=0.5", "application/ld+json"),
        ("text/*;q=0.3, application/ld+json;q=0.2", "text/html"),
        ("text/html;q=0, */*;q=0.1", "text/turtle"),
        ("application/json, text/turtle;q=0.1", "text/turtle"),
    ],
)
def test_negotiate(accept: str | None, expected: str) -> None:
    assert negotiate(accept, OFFERED) == expected


def test_nothing_acceptable() -> None:
    with pytest.raises(NotAcceptable) as err:
        negotiate("image/png, text/html;q=0", OFFERED)
    assert "text/turtle" in err.value.hint

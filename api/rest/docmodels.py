"""Response models of /documents: a document of the record, and its text with a passage."""

from __future__ import annotations

from pydantic import BaseModel, Field

from ccmkg.api.rest.models import list_of


class Document(BaseModel):
    """A document the loaders read: where it came from, and where its text is shown."""

    id: str = Field(description="Last segment of the document IRI: the {id} of /documents/{id}")
    iri: str
    title: str | None = None
    date: str | None = None
    family: str | None = Field(None, examples=["coordination-committee-minutes"])
    file_name: str | None = None
    sha256: str | None = None
    text_url: str = Field(description="GET this for the document's full text")


class Highlight(BaseModel):
    """The passage asked for: `quote == text[start:end]` (Unicode code points)."""

    start: int
    end: int
    quote: str


class DocumentText(Document):
    """The full text of a document, as the loader read it, with the passage asked for."""

    text: str
    passage: Highlight | None = None


DocumentList = list_of(Document)

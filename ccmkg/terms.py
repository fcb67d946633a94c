"""Moved to ccmkg.model.terms; this alias goes once api/ and loaders/ import the new place."""

from ccmkg.model.terms import CCM

__all__ = ["CCM"]

"""Shared helpers of the REST resources: models, parameters, sources, pagination and output."""

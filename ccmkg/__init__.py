"""ccm-kg core: settings, store port, vocabulary, query catalogue and validation.

`api/` and `loaders/` depend on this package and never on each other.
"""

__version__ = "0.1.0"

"""One module per document family, each exporting `FAMILY` (see ccmkg.loaders.registry).

Nothing lists the modules: `ccmkg.loaders.registry.discover()` imports every module here.
"""

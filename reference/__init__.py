"""Reference data: CSV files of facts (calendar, depositary record, extensions, completions,
obligation scope), one source URL and retrieval date per row. Read through importlib.resources
by ccmkg.loaders.reference; see SOURCES.md and STATES-SOURCES.md for how they were collected."""

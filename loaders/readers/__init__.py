"""Reading steps the document families share, one module per subject; rules in loaders/rules/."""

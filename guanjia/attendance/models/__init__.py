"""The attendance models, one module per subject."""

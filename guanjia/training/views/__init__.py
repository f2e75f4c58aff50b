"""The training pages (one module per subject)."""

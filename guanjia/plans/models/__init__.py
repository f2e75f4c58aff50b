"""The plans models, one module per subject."""

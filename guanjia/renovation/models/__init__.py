"""The renovation models, one module per subject."""

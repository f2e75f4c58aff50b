"""The passes models, one module per subject."""

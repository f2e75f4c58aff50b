"""The move-in models, one module per subject."""

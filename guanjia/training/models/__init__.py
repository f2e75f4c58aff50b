"""The training models, one module per subject."""

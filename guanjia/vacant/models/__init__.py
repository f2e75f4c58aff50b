"""The vacant units models, one module per subject."""

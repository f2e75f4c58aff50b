"""The conduct models, one module per subject."""

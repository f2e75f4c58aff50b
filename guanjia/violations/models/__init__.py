"""The violations models, one module per subject."""

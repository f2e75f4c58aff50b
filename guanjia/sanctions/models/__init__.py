"""The sanctions models, one module per subject."""

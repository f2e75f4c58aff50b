"""The zone patrols models, one module per subject."""

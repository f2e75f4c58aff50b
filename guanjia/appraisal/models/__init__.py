"""The appraisal models, one module per subject."""

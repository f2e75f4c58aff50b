"""The zone patrol pages."""

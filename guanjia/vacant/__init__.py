"""空置房 (spec §13): the vacant-unit register, scheduled care, inspections, keys."""

"""交房入住 (spec §09): delivery batches, the counter, the joint inspection, defects."""

"""小区内人员违规处理 (spec §19): breaches by non-residents (workers, contractors, vendors,
visitors) and their sanctions."""

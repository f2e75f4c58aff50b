"""考勤 (spec §22): rosters, shift swaps, punches, leave and the monthly attendance sheet."""

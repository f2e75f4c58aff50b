"""片区巡查 (spec §12): plans, patrols walked on a phone, findings followed to closure."""

"""员工考核 (spec §24): monthly scores computed from the work with evidence, quarterly and
annual appraisal, grades."""

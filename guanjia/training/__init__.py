"""员工培训 (spec §21): training plans, induction programmes, sessions with sign-in,
assessments, the training file."""

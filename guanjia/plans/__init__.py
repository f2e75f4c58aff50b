"""助理工作 (spec §02): work plans, weekly meetings and their action items, case studies, the
daily check and the monthly summary."""

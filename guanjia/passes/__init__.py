"""出入证 (spec §20): passes and their deposits, the guard's gate check, goods pass-out slips."""

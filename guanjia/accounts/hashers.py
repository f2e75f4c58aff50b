"""Password hashing sized for a busy office (docs/security.md, "Passwords").

Django's Argon2 defaults (argon2id, 100 MiB, 2 passes, 8 lanes) cost 0.6 s a login on a shared
2-core server, 1.5 s when it is busy, and 100 MiB a login at nine o'clock. OWASP's first
recommended argon2id configuration (Password Storage Cheat Sheet: m = 19 MiB, t = 2, p = 1) is
as strong as the guidance asks and costs about 30 ms quiet, 80 ms busy.

The algorithm name stays "argon2": a hash made with other parameters (Django's defaults) is
still verified with its own parameters, and rehashed with these at the next successful login
(`must_update`); PBKDF2 hashes, second in PASSWORD_HASHERS, are upgraded the same way.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class OfficeArgon2PasswordHasher(Argon2PasswordHasher):
    """argon2id, 19 MiB of memory, 2 passes, 1 lane."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1

"""Short reference codes patients read out at the front desk, e.g. "KAT-482"."""

import secrets

# No look-alikes: B/8, I/1, L/1, O/0, S/5, Z/2 are left out.
LETTERS = "ACDEFGHJKMNPQRTUVWXY"
DIGITS = "2345679"


def new_reference() -> str:
    letters = "".join(secrets.choice(LETTERS) for _ in range(3))
    digits = "".join(secrets.choice(DIGITS) for _ in range(3))
    return f"{letters}-{digits}"

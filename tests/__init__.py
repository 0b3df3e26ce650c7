"""clinic-intake test suite (a package, so `tests` never resolves to a third-party one)."""

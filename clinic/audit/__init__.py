"""The audit trail: who did what and when, append-only and hash-chained (chain.py), its
verification (verify.py), and the `flask audit verify` command (commands.py)."""

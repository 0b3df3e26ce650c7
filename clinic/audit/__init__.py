"""The audit trail: who did what and when, append-only and hash-chained (chain.py), its
verification (verify.py), the adoption of a chain whose head record was lost (adopt.py), and
the `flask audit verify | adopt-head` commands (commands.py)."""

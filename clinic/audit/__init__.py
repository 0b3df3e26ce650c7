"""The audit trail: who did what and when, append-only and hash-chained (chain.py), and the
`flask audit verify` command (commands.py)."""

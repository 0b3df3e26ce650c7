"""Record keeping: the retention purge (retention), online backups (backup) and their
commands (commands)."""

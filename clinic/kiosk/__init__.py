"""Patient-facing kiosk: a step-by-step intake kept in a server-side draft."""

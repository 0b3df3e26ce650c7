"""Tests for the triage area."""

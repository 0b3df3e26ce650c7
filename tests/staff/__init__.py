"""Tests for the staff area."""

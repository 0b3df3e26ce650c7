"""Tests for the handout area."""

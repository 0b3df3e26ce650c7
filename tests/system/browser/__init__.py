"""Tests for the browser area."""

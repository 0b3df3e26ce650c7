"""Tests for the kiosk."""

"""Test helpers shared across test packages: live servers started and stopped by the tests."""

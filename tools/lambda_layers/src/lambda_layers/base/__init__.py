"""Foundations every layer above uses: errors, progress and commands, files, settings."""

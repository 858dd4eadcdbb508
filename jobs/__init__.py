"""Scheduled jobs: plain functions that take `now` and a session factory (STYLE.md, habit 9)."""

"""The commitment follow-up tracker: domain package (models, extraction, deadlines, services)."""

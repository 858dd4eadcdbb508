"""`tracker` commands of the integrations (API tokens, CSV export); registered on `tracker.cli.main`."""

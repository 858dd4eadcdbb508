"""`tracker` commands of the follow-up engine (events, digests, jobs); registered on `tracker.cli.main`."""

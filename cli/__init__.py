"""The `tracker` command line: a thin adapter from arguments to service calls (`cli.main`)."""

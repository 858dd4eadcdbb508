"""Service functions: each takes a session, may flush, never commits (the caller owns the transaction)."""

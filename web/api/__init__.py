"""The JSON API under /api/v1: the blueprint and its hooks (`blueprint.py`) and the views of each
resource (`commitments.py`, `readouts.py`, `events.py`, `docs.py`); `web.create_app` imports the
views, which adds their routes to the blueprint, and registers it.
"""

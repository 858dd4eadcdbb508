"""`python -m tracker` runs the command line (the same as the `tracker` console script)."""

from tracker.cli import main

main()

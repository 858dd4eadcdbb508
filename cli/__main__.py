"""`python -m cli` runs the command line (the same as the `tracker` console script)."""

from cli.main import main

main()

"""``python -m fromscratch`` runs the command-line interface."""

from fromscratch.cli import main

raise SystemExit(main())

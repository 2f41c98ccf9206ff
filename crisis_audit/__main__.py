"""``python -m crisis_audit`` runs the CLI."""

from .cli import main

main()

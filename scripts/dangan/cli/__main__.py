"""``python -m dangan.cli``."""

from .main import main

main()

"""Entry point for ``python -m raci``."""

from raci.cli import main

if __name__ == "__main__":  # pragma: no cover
    main()

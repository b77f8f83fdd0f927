"""``python -m schemacheck``."""

from .cli import main

raise SystemExit(main())

"""`python -m controlling ...`."""

from controlling.cli import main

raise SystemExit(main())

"""``python -m goalstudio.cli``: the ``goalstudio`` command without the console script."""

from goalstudio.cli import main

raise SystemExit(main())

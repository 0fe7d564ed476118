"""``python -m cleanarticle``: the same command as the ``cleanarticle`` console script."""

import sys

from cleanarticle.cli import main

if __name__ == "__main__":
    sys.exit(main())

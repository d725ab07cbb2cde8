"""`python -m cli` runs the `govspider` command."""

import sys

from cli.main import main

sys.exit(main())

import sys

from smartmon.cli import main

sys.exit(main())

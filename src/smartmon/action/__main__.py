import sys

from smartmon.action.main import main

sys.exit(main())

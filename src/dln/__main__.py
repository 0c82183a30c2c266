from dln.cli import main

raise SystemExit(main())

from techfile.cli import main

raise SystemExit(main())

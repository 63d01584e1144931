"""`python -m niryat` is the same as the `niryat` console command."""

from niryat.cli import main

raise SystemExit(main())

"""The `niryat` console command: one entry point for running, loading and managing Niryat.

Sub-commands are thin: they set up Django and call management commands or services.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence

SETTINGS = "niryat.config.settings"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


def call(name: str, *args: str, **options: object) -> None:
    from django.core.management import call_command

    call_command(name, *args, **options)


def cmd_manage(args: argparse.Namespace) -> int:
    """Pass everything after `manage` to Django's management commands."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["niryat manage", *args.rest])
    return 0


def require_demo_mode() -> None:
    """`run` and `demo` turn demo mode on unless the environment explicitly turned it off."""
    os.environ.setdefault("NIRYAT_DEMO", "1")


def cmd_demo(args: argparse.Namespace) -> int:
    require_demo_mode()
    setup_django()
    from django.conf import settings

    if not settings.DEMO_MODE:
        print("niryat demo: NIRYAT_DEMO is off; demo accounts would not be able to sign in.",
              file=sys.stderr)
        return 2
    from niryat.demo.loader import demo_load

    call("migrate", interactive=False, verbosity=0)
    summary = demo_load()
    print(summary)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    setup_django()
    options: dict[str, object] = {}
    if args.batch:
        options["batch"] = True
    call("db_worker", **options)
    return 0


def cmd_reference(args: argparse.Namespace) -> int:
    setup_django()
    call("reference_load")
    return 0


def cmd_validate_id(args: argparse.Namespace) -> int:
    setup_django()
    from niryat.india.jsonl import validate_lines

    for answer in validate_lines(sys.stdin):
        sys.stdout.write(answer + "\n")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Import (or with --dry-run, check) a file of enterprises, in this process, with progress."""
    setup_django()
    from pathlib import Path

    from niryat.registry.importing.cli import import_file

    return import_file(
        Path(args.file), dry_run=args.dry_run, programme=args.programme, steward=args.steward,
        errors=Path(args.errors) if args.errors else None,
    )


def cmd_run(args: argparse.Namespace) -> int:
    """Migrate, load the demo, start a worker process and serve until Ctrl-C stops both."""
    require_demo_mode()
    setup_django()
    from django.conf import settings

    call("migrate", interactive=False, verbosity=1)
    if settings.DEMO_MODE:
        from niryat.demo.loader import demo_load

        print(demo_load())
    # The worker gets its own session, so that Ctrl-C in the terminal reaches only us and `stop`
    # signals it exactly once (a second signal would abort the task it is running).
    worker = subprocess.Popen([sys.executable, "-m", "niryat", "worker"], start_new_session=True)
    print(f"Niryat: http://{args.host}:{args.port}/  (worker pid {worker.pid}; Ctrl-C stops both)")
    # `kill`, a closed terminal or a service manager stop us like Ctrl-C, so the worker is not orphaned.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupt)
    try:
        call("runserver", f"{args.host}:{args.port}", use_reloader=False, use_threading=True)
    except KeyboardInterrupt:
        pass
    finally:
        stop(worker)
    return 0


def interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(signal.strsignal(signum))


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="niryat",
        description="Niryat (निर्यात): MSME e-commerce export programmes.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = sub.add_parser("run", help="migrate, load the demo, start a worker and serve on 127.0.0.1:8000")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", default="8000")
    run.set_defaults(handler=cmd_run)

    demo = sub.add_parser("demo", help="load the demo programmes, organisations and users (idempotent)")
    demo.set_defaults(handler=cmd_demo)

    worker = sub.add_parser("worker", help="run background tasks from the database queue")
    worker.add_argument("--batch", action="store_true", help="run what is queued, then exit")
    worker.set_defaults(handler=cmd_worker)

    reference = sub.add_parser("reference", help="reference data: `niryat reference load`")
    reference_sub = reference.add_subparsers(dest="action", metavar="ACTION", required=True)
    load = reference_sub.add_parser("load", help="load or refresh the reference tables from their data files")
    load.set_defaults(handler=cmd_reference)

    validate = sub.add_parser(
        "validate-id", help="check GSTIN, PAN, IEC, Udyam and FSSAI numbers given as JSON lines on stdin"
    )
    validate.add_argument("--jsonl", action="store_true", required=True,
                          help='lines {"kind": "gstin", "value": "…"} in, one JSON answer per line out')
    validate.set_defaults(handler=cmd_validate_id)

    imp = sub.add_parser("import", help="import enterprises from a CSV or XLSX file")
    imp_sub = imp.add_subparsers(dest="what", metavar="WHAT", required=True)
    enterprises = imp_sub.add_parser("enterprises", help="a file of MSMEs (see the template)")
    enterprises.add_argument("file")
    enterprises.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
    enterprises.add_argument("--programme", default="", help="programme slug: every enterprise of the file is enrolled "
                             "in it (and its office is the steward unless --steward names one)")
    enterprises.add_argument("--steward", default="", help="slug of the organisation the rows belong to")
    enterprises.add_argument(
        "--errors", default="", help="write the rejected rows with their errors here (.csv or .xlsx)"
    )
    enterprises.set_defaults(handler=cmd_import)

    manage = sub.add_parser("manage", help="Django's management commands (`niryat manage help`)",
                            add_help=False)
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=cmd_manage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except Exception as error:
        from django.core.exceptions import ImproperlyConfigured

        if isinstance(error, ImproperlyConfigured):
            print(f"niryat: configuration error: {error}", file=sys.stderr)
            return 2
        raise

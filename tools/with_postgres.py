#!/usr/bin/env python3
"""Run a command against a throwaway PostgreSQL cluster.

    python3 tools/with_postgres.py COMMAND [ARG ...]
    python3 tools/with_postgres.py --find        # print the binaries' folder, or exit 1

Makes a cluster in a temporary folder, starts it listening only on 127.0.0.1 (on a free port)
and on a unix socket inside that folder, creates a database, runs COMMAND with
DATABASE_URL=postgres://… (and PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE) in its environment,
then stops the cluster, removes the folder and exits with COMMAND's exit code.

The PostgreSQL server binaries (initdb, pg_ctl) are looked for in $NIRYAT_PG_BINDIR, then in
Debian's /usr/lib/postgresql/<version>/bin (highest version), then `pg_config --bindir`, then on
PATH. Without them it says so and exits 0, so that a machine without PostgreSQL still runs the
rest of `make test` - unless NIRYAT_REQUIRE_POSTGRES=1 (CI sets it), which makes that a failure.

PostgreSQL refuses to run as root. Run as root (CI, containers), the server runs as the
`postgres` system user that Debian's package creates, and the temporary folder belongs to it.

Standard library only: it must work before any virtual environment exists.
"""

from __future__ import annotations

import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

DATABASE = "niryat"
SUPERUSER = "niryat"
SERVER_USER = "postgres"  # used only when we are root
SKIPPED = "PostgreSQL binaries not found: skipped the PostgreSQL run"
# A throwaway cluster need not survive a crash: trade durability for speed.
SERVER_OPTIONS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "50",
    "shared_buffers": "128MB",
}


def say(message: str) -> None:
    print(f"with_postgres: {message}", file=sys.stderr, flush=True)


def truthy(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def version_key(path: Path) -> tuple[int, ...]:
    """/usr/lib/postgresql/15/bin -> (15,); non-numeric parts sort first."""
    return tuple(int(part) for part in re.findall(r"\d+", path.parent.name)) or (-1,)


def find_bindir() -> Path | None:
    candidates: list[Path] = []
    override = os.environ.get("NIRYAT_PG_BINDIR", "").strip()
    if override:
        candidates.append(Path(override))
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=version_key, reverse=True)
    candidates.extend(debian)
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            result = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, timeout=10)
            if result.returncode == 0 and result.stdout.strip():
                candidates.append(Path(result.stdout.strip()))
        except (OSError, subprocess.SubprocessError):
            pass
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    for folder in candidates:
        if all(os.access(folder / tool, os.X_OK) for tool in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    bindir: Path
    root: Path
    port: int
    password: str
    run_as: pwd.struct_passwd | None  # the system user the server runs as, when we are root

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def server_tool(self, *args: str, check: bool = True, quiet: bool = True) -> subprocess.CompletedProcess[str]:
        """Run initdb/pg_ctl, as the server's system user when we are root."""
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "TZ": "UTC"}
        user = group = None
        extra_groups: list[int] | None = None
        if self.run_as is not None:
            user, group, extra_groups = self.run_as.pw_uid, self.run_as.pw_gid, []
            env["HOME"] = str(self.root)
            env["USER"] = env["LOGNAME"] = self.run_as.pw_name
        result = subprocess.run(
            [str(self.bindir / args[0]), *args[1:]],
            cwd=self.root, env=env, stdin=subprocess.DEVNULL, text=True, capture_output=quiet, check=False,
            user=user, group=group, extra_groups=extra_groups,
        )
        if check and result.returncode != 0:
            detail = (result.stdout or "") + (result.stderr or "")
            raise RuntimeError(f"{args[0]} failed ({result.returncode}):\n{detail.strip()}")
        return result

    def init(self) -> None:
        pwfile = self.root / "pwfile"
        pwfile.write_text(self.password + "\n")
        self.own(pwfile)
        common = ["initdb", "-D", str(self.data), "-U", SUPERUSER, f"--pwfile={pwfile}",
                  "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8", "--no-sync",
                  "--no-instructions"]
        try:
            self.server_tool(*common, "--locale=C.UTF-8")
        except RuntimeError:  # no C.UTF-8 locale on this system
            shutil.rmtree(self.data, ignore_errors=True)
            self.server_tool(*common, "--no-locale")
        pwfile.unlink()

    def own(self, path: Path) -> None:
        if self.run_as is not None:
            os.chown(path, self.run_as.pw_uid, self.run_as.pw_gid)

    def start(self) -> None:
        self.socket_dir.mkdir(mode=0o700)
        self.own(self.socket_dir)
        options = dict(SERVER_OPTIONS, port=str(self.port), unix_socket_directories=str(self.socket_dir))
        option_text = " ".join(f"-c {name}={value}" for name, value in options.items())
        self.server_tool("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", option_text,
                         "-w", "-t", "60", "start")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            result = self.server_tool("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "30", "stop",
                                      check=False)
            if result.returncode != 0:
                self.server_tool("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)

    def create_database(self) -> None:
        # A client may run as anyone: connect through the socket, where the cluster trusts local users.
        env = dict(os.environ, PGHOST=str(self.socket_dir), PGPORT=str(self.port), PGUSER=SUPERUSER)
        env.pop("PGPASSWORD", None)
        env.pop("PGDATABASE", None)
        subprocess.run([str(self.bindir / "createdb"), DATABASE], env=env, check=True, stdin=subprocess.DEVNULL)

    @property
    def url(self) -> str:
        return f"postgres://{SUPERUSER}:{self.password}@127.0.0.1:{self.port}/{DATABASE}"

    def client_env(self) -> dict[str, str]:
        return dict(
            os.environ,
            DATABASE_URL=self.url,
            PGHOST="127.0.0.1",
            PGPORT=str(self.port),
            PGUSER=SUPERUSER,
            PGPASSWORD=self.password,
            PGDATABASE=DATABASE,
        )


def server_user() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SERVER_USER)
    except KeyError:
        raise SystemExit(
            f"with_postgres: running as root, and there is no `{SERVER_USER}` system user to run "
            "PostgreSQL as (PostgreSQL refuses to run as root)."
        ) from None


def run_command(command: Sequence[str], env: dict[str, str]) -> int:
    """Run the command; forward SIGTERM to it; on Ctrl-C (which it receives too) wait for it."""
    child = subprocess.Popen(list(command), env=env)

    def forward(signum: int, _frame: object) -> None:
        if child.poll() is None:
            child.send_signal(signum)

    previous = signal.signal(signal.SIGTERM, forward)
    try:
        while True:
            try:
                code = child.wait()
                return 128 - code if code < 0 else code  # killed by a signal: the shell's convention
            except KeyboardInterrupt:
                continue
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str]) -> int:
    if argv[:1] == ["--find"]:
        bindir = find_bindir()
        if bindir is None:
            return 1
        print(bindir)
        return 0
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        return 0 if argv else 2

    bindir = find_bindir()
    if bindir is None:
        if truthy("NIRYAT_REQUIRE_POSTGRES"):
            say("PostgreSQL binaries not found, and NIRYAT_REQUIRE_POSTGRES=1: failing. "
                "Install them (Debian: apt-get install postgresql) or set NIRYAT_PG_BINDIR.")
            return 1
        print(f"\n*** {SKIPPED} (Debian: apt-get install postgresql) ***\n", flush=True)
        return 0

    run_as = server_user()
    root = Path(tempfile.mkdtemp(prefix="niryat-pg-"))
    cluster = Cluster(bindir=bindir, root=root, port=0, password=secrets.token_urlsafe(24), run_as=run_as)
    cluster.own(root)
    started = False
    try:
        started_at = time.monotonic()
        cluster.init()
        for attempt in range(3):  # the free port can be taken between probing and binding
            cluster.port = free_port()
            try:
                cluster.start()
                break
            except RuntimeError:
                if attempt == 2:
                    raise
        started = True
        cluster.create_database()
        say(f"PostgreSQL {bindir.parent.name} on 127.0.0.1:{cluster.port}, database {DATABASE!r} "
            f"(ready in {time.monotonic() - started_at:.1f}s)")
        return run_command(argv, cluster.client_env())
    except RuntimeError as error:
        say(str(error))
        if cluster.log.exists():
            say("server log:\n" + cluster.log.read_text(errors="replace")[-4000:])
        return 1
    finally:
        if started or (cluster.data / "postmaster.pid").exists():
            cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

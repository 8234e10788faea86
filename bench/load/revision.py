"""The sandbox of another git revision, run beside today's: "before and after" in one run.

`git worktree add --detach` checks the revision out into a temporary directory (the working
tree here is left alone), and the server runs as `python -m booking_sandbox` from there, with
the same interpreter and venv but that directory first on PYTHONPATH: the venv's packages are
shared, the sandbox's code is the revision's. Before the server starts, the same command line
imports `booking_sandbox` and must find it inside the worktree, or the run stops.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from booking_sandbox.testing.health import wait_healthy
from booking_sandbox.testing.live import free_port

ROOT = Path(__file__).resolve().parents[2]
INSTRUMENTED = Path(__file__).with_name("instrumented.py")


def worktree_commands(rev: str, directory: Path) -> tuple[list[str], list[str]]:
    """The git commands that check `rev` out into `directory`, and that remove it after."""
    add = ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(directory), rev]
    remove = ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(directory)]
    return add, remove


@contextmanager
def worktree(rev: str) -> Iterator[Path]:
    """`rev` checked out in a temporary directory while the block runs."""
    with tempfile.TemporaryDirectory(prefix="sandbox-baseline-") as tmp:
        directory = Path(tmp) / "tree"
        add, remove = worktree_commands(rev, directory)
        subprocess.run(add, check=True, capture_output=True, text=True)
        try:
            yield directory
        finally:
            subprocess.run(remove, check=False, capture_output=True)
            subprocess.run(["git", "-C", str(ROOT), "worktree", "prune"], check=False)


def environment(code: Path | None, extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment with `code` (a worktree) first on PYTHONPATH."""
    env = {**os.environ, **(extra or {})}
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join(
            [str(code), *filter(None, [os.environ.get("PYTHONPATH")])]
        )
    return env


def server_command(port: int, flags: Sequence[str], *, instrumented: bool) -> list[str]:
    """The sandbox on `port`: `python -m booking_sandbox`, or the bench's instrumented start
    (the same main(), with the tail recorders; a script by path, so it imports only stdlib and
    whichever `booking_sandbox` PYTHONPATH finds)."""
    start = [str(INSTRUMENTED)] if instrumented else ["-m", "booking_sandbox"]
    return [sys.executable, *start, "--port", str(port), "--log-level", "warning", *flags]


def code_location(code: Path | None) -> Path:
    """Where `booking_sandbox` is imported from with `code` first on PYTHONPATH."""
    probe = "import booking_sandbox; print(booking_sandbox.__file__)"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        env=environment(code),
        cwd=code or ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(done.stdout.strip()).resolve()


class Sandbox:
    """A sandbox process from `code` (a worktree), or from this checkout when None."""

    def __init__(
        self,
        flags: Sequence[str] = (),
        *,
        code: Path | None = None,
        instrumented: bool = False,
        env: dict[str, str] | None = None,
    ) -> None:
        if code is not None and not code_location(code).is_relative_to(code.resolve()):
            raise RuntimeError(
                f"booking_sandbox is not imported from {code}: {code_location(code)}"
            )
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop())
        self.process = subprocess.Popen(
            server_command(self.port, flags, instrumented=instrumented),
            cwd=code or ROOT,
            env=environment(code, env),
            stdout=subprocess.DEVNULL,
            stderr=self._log,
        )

    def wait_healthy(self, timeout: float = 60) -> None:
        def running() -> None:
            if self.process.poll() is not None:
                self._log.seek(0)
                said = self._log.read().decode(errors="replace")[-3000:]
                raise RuntimeError(f"sandbox exited {self.process.returncode}: {said}")

        wait_healthy(self.url, timeout, poll=0.05, check=running)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()

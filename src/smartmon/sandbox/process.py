"""Start `smartmon sandbox serve` as a child process and learn where it listens."""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO

_FIRST_LINE = re.compile(
    r"^SMARTMON_SANDBOX api=(?P<api>\S+) repo=(?P<repo>\S+) token=(?P<token>\S+)"
    r"(?: org=(?P<org>\S+))?$"
)


class SandboxStartError(RuntimeError):
    """The sandbox process exited or stayed silent before printing its first line."""


class SandboxProcess:
    """Context manager: the running sandbox's `api_url`, `repo`, `token`, `admin_token`, `org`."""

    def __init__(
        self,
        *,
        scenarios: Sequence[str] = (),
        state_dir: Path | None = None,
        faults: str | None = None,
        action_map: Sequence[str] = (),
        runner: str | None = None,
        extra_args: Sequence[str] = (),
        timeout: float = 60,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="smartmon-sandbox-")
        tmp = Path(self._tmp.name)
        self.admin_file = tmp / "admin.json"
        self.stderr_path = tmp / "stderr.txt"
        args = [sys.executable, "-m", "smartmon", "sandbox", "serve", "--port", "0"]
        args += ["--admin-file", str(self.admin_file)]
        for name in scenarios:
            args += ["--scenario", name]
        if state_dir is not None:
            args += ["--state", str(state_dir)]
        if faults:
            args += ["--faults", faults]
        for mapping in action_map:
            args += ["--action-map", mapping]
        if runner:
            args += ["--runner", runner]
        self.args = [*args, *extra_args]
        self.timeout = timeout
        self.env = env
        self.cwd = cwd
        self.proc: subprocess.Popen[bytes] | None = None
        self.api_url = self.repo = self.token = self.admin_token = self.org = ""
        self.returncode: int | None = None

    def stderr_text(self) -> str:
        try:
            return self.stderr_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def __enter__(self) -> SandboxProcess:
        stderr = self.stderr_path.open("wb")
        self.proc = subprocess.Popen(
            self.args,
            stdout=subprocess.PIPE,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
            env=self.env if self.env is not None else dict(os.environ),
            cwd=self.cwd,
        )
        stderr.close()
        assert self.proc.stdout is not None
        lines: queue.Queue[bytes] = queue.Queue()
        threading.Thread(target=_drain, args=(self.proc.stdout, lines), daemon=True).start()
        try:
            first = lines.get(timeout=self.timeout).decode("utf-8", errors="replace").rstrip("\n")
        except queue.Empty:
            first = ""
        match = _FIRST_LINE.match(first)
        if match is None:
            self._stop()
            message = f"sandbox did not start (first line {first!r}); stderr:\n{self.stderr_text()}"
            self._tmp.cleanup()
            raise SandboxStartError(message)
        self.api_url, self.repo, self.token = match["api"], match["repo"], match["token"]
        self.org = match["org"] or ""
        self.admin_token = json.loads(self.admin_file.read_text(encoding="utf-8"))["admin_token"]
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop()
        self._tmp.cleanup()

    def _stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        self.returncode = self.proc.returncode


def _drain(stream: IO[bytes], lines: queue.Queue[bytes]) -> None:
    # Keep reading so the child never blocks on a full pipe.
    for line in iter(stream.readline, b""):
        lines.put(line)
    lines.put(b"")  # end of output: the child exited or closed stdout
    stream.close()

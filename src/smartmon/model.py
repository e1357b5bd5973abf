"""Values shared by every layer: findings, fixes and the edits a fix is made of."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

# The package version (pyproject.toml says the same); a value so any layer can name it.
VERSION = "0.1.0"


class IssueType(StrEnum):
    """What broke. The first six IDs are kept from the original specification."""

    MISSING_DEPENDENCY = "missing_dependency"
    IMPORT_ERROR = "import_error"
    MISSING_ENV_VARS = "missing_env_vars"
    YAML_SYNTAX_ERROR = "yaml_syntax_error"
    PERMISSION_ERROR = "permission_error"
    NETWORK_ERROR = "network_error"
    DEPRECATED_ACTION = "deprecated_action"
    RETIRED_RUNNER = "retired_runner"
    DEPRECATED_COMMAND = "deprecated_command"
    DEPENDENCY_CONFLICT = "dependency_conflict"
    MISSING_TOOL = "missing_tool"
    SYNTAX_ERROR = "syntax_error"
    TEST_FAILURE = "test_failure"
    LINT_FAILURE = "lint_failure"
    TIMEOUT = "timeout"
    RUNNER_FAILURE = "runner_failure"
    AUTH_ERROR = "auth_error"
    UNKNOWN = "unknown"


# Healed by re-running the failed jobs, never by an edit.
TRANSIENT_TYPES = frozenset({IssueType.NETWORK_ERROR, IssueType.RUNNER_FAILURE})


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 for the most severe."""
        return _SEVERITY_ORDER.index(self)


_SEVERITY_ORDER = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW)

# Keys a rule may capture into Finding.data (named groups outside this set are refused).
DATA_KEYS = frozenset(
    {
        "module",
        "name",
        "from",
        "var",
        "file",
        "line",
        "action",
        "version",
        "label",
        "command",
        "package",
        "exit_code",
        "tool",
        "test",
        "scope",
        "access",
        "url",
        "host",
    }
)


def _frozen(data: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(data or {}))


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One diagnosed cause (or advisory notice) found in a log or a workflow file."""

    type: IssueType
    severity: Severity
    auto_fixable: bool
    rule: str
    job: str
    step: str
    line: int
    text: str
    data: Mapping[str, str] = field(default_factory=lambda: _frozen(None))
    step_number: int | None = None
    step_line: int | None = None
    context: tuple[str, ...] = ()  # a few cleaned lines before `text`, oldest first

    def __post_init__(self) -> None:
        object.__setattr__(self, "data", _frozen(self.data))

    @property
    def transient(self) -> bool:
        return self.type in TRANSIENT_TYPES

    @property
    def shown_data(self) -> dict[str, str]:
        """`data` as a person reads it: `module` is left out where it only repeats `package` (a
        missing registry or system package carries both keys for machines; see diagnose.verdict)."""
        shown = dict(self.data)
        if "package" in shown and shown.get("module") == shown["package"]:
            del shown["module"]
        return shown

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": self.type.value,
            "severity": self.severity.value,
            "auto_fixable": self.auto_fixable,
            "rule": self.rule,
            "job": self.job,
            "step": self.step,
            "line": self.line,
            "text": self.text,
            "data": dict(self.data),
        }
        if self.step_number is not None:
            out["step_number"] = self.step_number
        if self.step_line is not None:
            out["step_line"] = self.step_line
        if self.context:
            out["context"] = list(self.context)
        return out

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Finding:
        return cls(
            type=IssueType(raw["type"]),
            severity=Severity(raw["severity"]),
            auto_fixable=bool(raw["auto_fixable"]),
            rule=str(raw["rule"]),
            job=str(raw.get("job", "")),
            step=str(raw.get("step", "")),
            line=int(raw.get("line", 0)),
            text=str(raw.get("text", "")),
            data={str(k): str(v) for k, v in dict(raw.get("data", {})).items()},
            step_number=raw.get("step_number"),
            step_line=raw.get("step_line"),
            context=tuple(str(c) for c in raw.get("context", ())),
        )


@dataclass(frozen=True, kw_only=True)
class Edit:
    """The new state of one file, relative to the workspace root (POSIX separators).

    `content` None leaves the bytes alone; `executable` None leaves the mode alone.
    `original` is the content the plan was made from, so applying refuses a file that changed since.
    """

    path: str
    content: bytes | None = None
    executable: bool | None = None
    original: bytes | None = None


@dataclass(frozen=True, kw_only=True)
class Fix:
    """A planned repair: edits to apply, or no edits and the reason no safe fix exists."""

    type: IssueType
    file: str
    description: str
    edits: tuple[Edit, ...] = ()
    reason: str | None = None

    @property
    def applicable(self) -> bool:
        return bool(self.edits) and self.reason is None

    def to_dict(self, *, applied: bool) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": self.type.value,
            "file": self.file,
            "description": self.description,
            "applied": applied,
        }
        if self.reason is not None:
            out["reason"] = self.reason
        return out

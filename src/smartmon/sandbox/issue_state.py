"""Issues, issue comments and labels of the sandbox's repositories.

A pull request is an issue too: comments and labels are keyed by (repository id, number), so the
same routes serve both, as on GitHub. Held by `SandboxState.issues`, under `state.lock`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass
class Issue:
    id: int
    number: int
    repo_id: int
    title: str
    body: str | None
    user: str
    created_at: str
    updated_at: str
    state: str = "open"
    state_reason: str | None = None
    closed_at: str | None = None


@dataclass
class Comment:
    id: int
    repo_id: int
    number: int  # the issue or pull request it is on
    body: str
    user: str
    created_at: str
    updated_at: str


@dataclass
class Label:
    id: int
    repo_id: int
    name: str
    color: str = "ededed"
    description: str | None = None


@dataclass
class IssueBook:
    issues: dict[int, Issue] = field(default_factory=dict)  # id -> issue
    comments: dict[int, Comment] = field(default_factory=dict)  # id -> comment
    labels: dict[int, Label] = field(default_factory=dict)  # id -> label
    applied: dict[str, list[str]] = field(default_factory=dict)  # "repo_id/number" -> names

    def numbers(self, repo_id: int) -> list[int]:
        return [i.number for i in self.issues.values() if i.repo_id == repo_id]

    def issue(self, repo_id: int, number: int) -> Issue | None:
        return next(
            (i for i in self.issues.values() if i.repo_id == repo_id and i.number == number), None
        )

    def label(self, repo_id: int, name: str) -> Label | None:
        low = name.lower()  # label names are case-insensitive on GitHub
        return next(
            (x for x in self.labels.values() if x.repo_id == repo_id and x.name.lower() == low),
            None,
        )

    def labels_on(self, repo_id: int, number: int) -> list[str]:
        return list(self.applied.get(f"{repo_id}/{number}", []))

    def set_labels(self, repo_id: int, number: int, names: list[str]) -> None:
        self.applied[f"{repo_id}/{number}"] = list(dict.fromkeys(names))

    def dump(self) -> dict[str, Any]:
        return {
            "issues": [asdict(i) for i in self.issues.values()],
            "comments": [asdict(c) for c in self.comments.values()],
            "labels": [asdict(x) for x in self.labels.values()],
            "applied": self.applied,
        }

    @classmethod
    def load(cls, raw: dict[str, Any] | None) -> IssueBook:
        book = cls()
        raw = raw or {}
        for item in raw.get("issues", []):
            issue = _build(Issue, item)
            book.issues[issue.id] = issue
        for item in raw.get("comments", []):
            comment = _build(Comment, item)
            book.comments[comment.id] = comment
        for item in raw.get("labels", []):
            label = _build(Label, item)
            book.labels[label.id] = label
        book.applied = {str(k): list(v) for k, v in dict(raw.get("applied", {})).items()}
        return book


def _build(cls: Any, raw: dict[str, Any]) -> Any:
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in raw.items() if k in names})

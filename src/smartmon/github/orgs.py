"""Organisation-wide endpoints: an organisation's repositories, an installation's repositories.

`GET /orgs/{org}/repos` (docs.github.com/rest/repos/repos#list-organization-repositories) and
`GET /installation/repositories` (docs.github.com/rest/apps/installations, installation access
tokens only: `{total_count, repository_selection, repositories}`). Both page with `Link` and
answer a conditional GET with 304, which costs no rate limit.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from smartmon.github.http import Transport


class OrgEndpoints:
    """Calls that are not bound to one repository."""

    http: Transport

    def list_org_repos(self, org: str, *, kind: str = "all") -> list[dict[str, Any]]:
        """Every repository of `org` the token may see, sorted by full name."""
        path = f"/orgs/{quote(org, safe='')}/repos"
        params = {"type": kind, "sort": "full_name", "per_page": 100}
        return list(self.http.paginate(path, params=params))

    def list_installation_repos(self) -> list[dict[str, Any]]:
        """The repositories an App installation token was granted."""
        params = {"per_page": 100}
        return list(
            self.http.paginate("/installation/repositories", params=params, key="repositories")
        )

"""The host a failed network request went to, from the URL or host name the client printed."""

from __future__ import annotations

import re
from collections.abc import Sequence

# Clients name the host in a URL ("fatal: unable to access 'https://github.com/x/y/'", "GET
# https://registry.npmjs.org/x", "Could not GET 'https://repo.maven.apache.org/…'") or bare
# ("Could not resolve host: github.com", "lookup proxy.golang.org on 127.0.0.53:53",
# "Temporary failure resolving 'archive.ubuntu.com'", pacman's "failed retrieving file 'core.db' from
# mirror.example.org : …", urllib3's "HTTPSConnectionPool(host='pypi.org', port=443)", wget's
# "Connecting to objects.githubusercontent.com (objects.githubusercontent.com)|185.199.108.133|:443..."),
# OpenSSH's "ssh: connect to host 203.0.113.10 port 22: Connection timed out" (a bare address counts),
# curl's TLS failures "curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to github.com:443"
# (LibreSSL on macOS says the same), Java's "java.net.UnknownHostException: repo.maven.apache.org",
# apt's "Unable to connect to azure.archive.ubuntu.com:http:", GnuPG's keyserver in a URL
# ("--keyserver hkp://keyserver.ubuntu.com:80") or named by gpg 1 ("requesting key … from hkp server
# keys.gnupg.net").
# Ruby's Net::HTTP "Failed to open TCP connection to rubygems.org:443 (execution expired)" (RubyGems,
# Bundler, CocoaPods); Maven's "Transfer failed for …: Unknown host repo.maven.apache.org"; the GitHub
# CLI's "error connecting to api.github.com". Go's dialer names the address it dialed: "dial tcp
# 203.0.113.7:22: i/o timeout" (appleboy/ssh-action #164, a deploy server; a URL earlier on the line,
# "Get \"https://proxy.golang.org/…\": dial tcp 142.250.72.17:443: …", still comes first); loopback
# is the job's own service, not a host that failed. undici's "Connect Timeout Error (attempted address:
# api.github.com:443, timeout: 10000ms)" names what it dialed (nodejs/undici PR #2494).
# kubectl names the API server it could not reach: "The connection to the server 10.0.0.1:6443 was
# refused" (a kind cluster's 127.0.0.1:port is the job's own, like loopback above).
# Erlang's httpc (Hex) too: "{:failed_connect, [{:to_address, {'repo.hex.pm', 443}}, …]}" (hexpm/hex #297).
# Emacs's url.el announces each request: "Contacting host: elpa.gnu.org:80" (quick-lint/quick-lint-js
# #349), over package.el's "Failed to download `gnu' archive.", which names no host.
# .NET's HttpClient (the runner, NuGet, dotnet tools) ends a socket error with the endpoint it dialed:
# "Name or service not known (internal-api.service.iad.github.net:443)" (actions/checkout #1917),
# "Connection refused (pipelinesghubeus5.actions.githubusercontent.com:443)" (actions/runner #3781),
# "Resource temporarily unavailable (pipelines.actions.githubusercontent.com:443)" (actions/runner
# #1802), WinSock's "… connected host has failed to respond. (api.github.com:443)" (actions/checkout
# #756).
# Documentation links ("see https://docs…", "increase-rate-limit") are not the host that failed:
# Docker Hub's older limit message points at "https://docs.docker.com/docker-hub/download-rate-limit/"
# (play-with-docker/play-with-docker #422).
_URL = re.compile(
    r"\b(?:https?|wss?|git|hkps?)://(?:[^@/\s'\"`]+@)?(?P<host>[A-Za-z0-9][\w.-]*\.[A-Za-z]{2,})"
)
_BARE = re.compile(
    r"(?:Could not resolve host:? |Temporary failure resolving '|lookup |getaddrinfo \w+ |"
    r"Failed to connect to |Could not connect to '?|Connection to |failed retrieving file '[^']+' from |"
    r"ConnectionPool\(host='|Could not resolve hostname |failed to resolve address for |"
    r"Failed to resolve '|No such host is known\. \(|> Connect to |^Connecting to |ssh: connect to host |"
    r" in connection to |UnknownHostException: |Unable to connect to |from hkps? server |"
    r"Failed to open TCP connection to |Unknown host |^\s*error connecting to |dial tcp (?!127\.)|"
    r"attempted address(?:es)?: |\{:to_address, \{(?:~c)?['\"]|"
    r"The connection to the server (?!127\.|localhost:)|^Contacting host: |"
    r"(?:Name or service not known|Resource temporarily unavailable|Connection refused|"
    r"Connection timed out|Network is unreachable|No route to host|has failed to respond\.|"
    r"actively refused it\.) \((?!127\.)(?=[^\s:()]+:\d+\)))"
    r"(?P<host>[A-Za-z0-9][\w-]*(?:\.[\w-]+)*\.[A-Za-z]{2,}|\d{1,3}(?:\.\d{1,3}){3}\b)"
)
# Database and cache clients name the server they could not reach, often a bare service name from a
# compose file or a service container ("db", "postgres", "localhost"): libpq's "Is the server running
# on host "localhost" (::1) and accepting" (the line under "could not connect to server"), "connection
# to server at "db" (172.18.0.2), port 5432 failed", "could not translate host name "postgres" to
# address"; MySQL's "Can't connect to MySQL server on 'mysql' (111)" and "Unknown MySQL server host
# 'mysql' (-3)" (MariaDB's clients since 10.6 drop "MySQL"); Prisma's "Can't reach database
# server at `localhost`:`3306`"; Redis clients' "Could not connect to Redis at localhost:6379",
# "Error connecting to Redis on localhost:6379", "Error 111 connecting to localhost:6379."; JDBC's
# "Connection to localhost:5432 refused"; pymongo's "ServerSelectionTimeoutError: localhost:27017:";
# urllib3's "HTTPConnectionPool(host='localhost', port=9200)" (Elasticsearch and other HTTP services);
# curl's "curl: (7) Failed to connect to localhost port 8080 after 0 ms: Connection refused" (a health
# check against the app a job started); Celery's "consumer: Cannot connect to
# amqp://guest:**@rabbitmq:5672//: [Errno 111] Connection refused." (the broker URL, credentials masked);
# PHP 8's PDO and stream sockets: "SQLSTATE[HY000] [2002] php_network_getaddresses: getaddrinfo for
# mysql failed: Name or service not known" (PHP 7 names no host: "getaddrinfo failed: …"); MongoDB's
# drivers: Node 3.x "failed to connect to server [mongo:27017] on first connect", Node's resolver
# "getaddrinfo ENOTFOUND mongo" (a compose service name, no dot), Go's "current topology: { Type:
# Unknown, Servers: [{ Addr: localhost:27017, …"; go-mssqldb "unable to open tcp connection with host
# 'localhost:1433'"; Ruby's Net::HTTP "Failed to open TCP connection to localhost:9200" (Faraday);
# Elixir's Postgrex (and Tds, Mssqlex) under db_connection: "(DBConnection.ConnectionError) tcp
# connect (localhost:5432): connection refused - :econnrefused" (postgrex lib/postgrex/protocol.ex
# conn_error(:tcp, "connect (#{host}:#{port})", reason); a Unix socket is named by its path).
# A name must start with a letter: an address alone (127.0.0.1) is not a host to report.
_SERVICE = re.compile(
    r"(?:Is the server running on host \"|connection to server at \"|could not translate host name \"|"
    r"(?:MySQL )?server on '|Unknown (?:MySQL )?server host '|Can't reach database server at `|The database server at `|"
    r"Could not connect to Redis at |Error connecting to Redis on |Error -?\d+ connecting to |"
    r"ServerSelectionTimeoutError: |PSQLException: Connection to |ConnectionPool\(host='|"
    r"curl: \(\d+\) Failed to connect to |Cannot connect to \w+://(?:[^@\s/]*@)?(?![^@\s/]*@)|"
    r"getaddrinfo for |failed to connect to server \[|getaddrinfo (?:ENOTFOUND|EAI_AGAIN) |"
    r"Servers: \[\{ Addr: |tcp connection with host '|Failed to open TCP connection to |"
    r"ConnectionFailed: connection refused: |ConnectionError\) tcp connect \()"
    r"(?P<host>[A-Za-z][\w-]*(?:\.[\w-]+)*)"
)
# A container image names its registry when its first path component has a dot: the daemon then
# talks to that host, and Docker's errors often print no URL ("Error response from daemon: received
# unexpected HTTP status: 502 Bad Gateway" under "/usr/bin/docker pull quay.io/x/y:tag",
# guix77/phpcs-drupal-action #3). The image is named by the runner's "Pull down action image 'x'",
# `docker pull [options] x`, `docker run`'s "Unable to find image 'x' locally" and Podman's "Trying to
# pull x...". Some daemons print the registry path without a scheme: 'Error response from daemon:
# Head "ghcr.io/v2/irongut/codecoveragesummary/manifests/v1.0.2": received unexpected HTTP status:
# 503 Service Unavailable' (irongut/CodeCoverageSummary #6). An image without a registry
# ("node:20", "library/redis") is Docker Hub's, whose host the line does not name.
_REGISTRY = r"(?P<host>[A-Za-z0-9][\w-]*(?:\.[\w-]+)+)(?::\d+)?/"
_IMAGE = re.compile(
    r"(?:Pull down action image '|\bdocker pull (?:-\S+ )*|Unable to find image '|Trying to pull |"
    r"\"(?=[\w.-]+(?::\d+)?/v2/))" + _REGISTRY
)
_DOC_HOSTS = frozenset(
    {
        "docs.github.com",
        "github.blog",
        "www.docker.com",
        "docs.docker.com",
        "docs.npmjs.com",
        "aka.ms",
        "curl.se",
        "curl.haxx.se",
        "doc.rust-lang.org",
        "status.hashicorp.com",
        # Blockchain tools' help and dashboard links: "For more info go to https://hardhat.org/HH503",
        # Infura's "see": "https://infura.io/dashboard", Alchemy's "check out https://docs.alchemy…".
        "hardhat.org",
        "infura.io",
        "docs.alchemy.com",
        "docs.alchemyapi.io",
    }
)


def _hosts(line: str) -> list[str]:
    found = [(m.start(), m.group("host")) for m in _BARE.finditer(line)]
    found += [(m.start(), m.group("host")) for m in _SERVICE.finditer(line)]
    found += [(m.start(), m.group("host")) for m in _URL.finditer(line)]
    found += [(m.start(), m.group("host")) for m in _IMAGE.finditer(line)]
    return [host.lower() for _, host in sorted(found) if host.lower() not in _DOC_HOSTS]


# Lines that only separate an error from its cause: a blank line, cargo's and anyhow's "Caused by:",
# and a JVM stack trace's frames ("\tat java.base/sun.nio.ch.Net.connect(Net.java:579)", "... 12
# more"): the Gradle wrapper prints "Downloading https://services.gradle.org/distributions/…" and
# then the exception, whose "Caused by: java.net.ConnectException: Connection timed out" comes after
# the frames of the exception it wraps (servo/servo #31897; openfoodfacts-androidapp PR #1815).
# Node's frames name the function before the place ("    at onConnectTimeout (node:internal/deps/
# undici/undici:2602:28)", "    at node:internal/deps/undici/undici:13502:13"); the last before an
# error's own fields ends in " {" (undici's "[cause]: ConnectTimeoutError: …" over "code:
# 'UND_ERR_CONNECT_TIMEOUT'", vercel/next.js #61181).
_FRAME = re.compile(
    r"^\s+at [\w$./<>-]+\(.*\)\s*$|^\s*\.\.\. \d+ more\s*$|"
    r"^\s+at (?:[\w$.<>\[\] ]+ \((?:node:|file:|/|[A-Za-z]:\\).*\)|(?:node:|file:|/)\S+)\s*\{?\s*$"
)
# The runner's back-off notice between its action-download retries ("##[warning]Back off 14.262
# seconds before retry.") sits between the request's "Failed to download action 'https://…'" and the
# error the retries end with (Ambiguous-Interactive/unity-helpers PR #490, pnpm/action-setup #164).
_BACK_OFF = r"^\s*(?:##\[warning\]|Warning: )?Back off [\d.]+ seconds before retry\.\s*$"
_SEPARATOR = re.compile(r"^\s*(?:Caused by:)?\s*$|" + _FRAME.pattern + "|" + _BACK_OFF)
# How far above a line its request may be when frames come between: one wrapped exception's.
_ABOVE = 24
# PowerShell's error record names the command under the message: "Invoke-WebRequest : Unable to
# connect to the remote server" / "At D:\a\_temp\x.ps1:10 char:1" (or "At line:1 char:1") / "+
# Invoke-WebRequest https://cygwin.com/setup-x86_64.exe -OutFile …" (astral-sh/python-build-standalone
# #488; actions/runner-images #3150). PowerShell 7 prints "" / "Line |" / "  10 |  Invoke-WebRequest …".
_PS_AT = re.compile(r"^\s*(?:At (?:line:\d+|.+:\d+) char:\d+|Line \|)\s*$")
_PS_SOURCE = re.compile(r"^\s*(?:\+ |\d+ \| )")


# An error chain printed one cause a line, innermost last: uv's and anyhow's "  Caused by: dns error"
# under "  Caused by: error sending request for url (https://github.com/…)" under "error: Request
# failed after 3 retries" (pre-commit-ci/issues #256), Node's "  [cause]: …" under "TypeError: fetch
# failed". The innermost cause names no host; the request it came from does, higher up the chain.
_CHAIN = re.compile(r"^\s*(?:Caused by:|\[cause\]:)\s+\S")


def _chain_above(text: str, before: Sequence[str]) -> list[str]:
    """The lines of the error chain the line ends, nearest first, up to the line it hangs from."""
    if not _CHAIN.match(text):
        return []
    chain = []
    for line in reversed(before[-_ABOVE:]):
        chain.append(line)
        if not _CHAIN.match(line):
            break
    return chain


def network_host(text: str, before: Sequence[str] = (), after: Sequence[str] = ()) -> str | None:
    """The first host named on the error line, else on the two lines above it, else the next line.

    npm prints the code first and the request below it: "npm error code E503" / "npm error 503
    Service Unavailable - GET https://registry.npmjs.org/x". cargo prints the URL first and the
    cause two lines down: "error: failed to download from `https://static.crates.io/…`" / "" /
    "Caused by:" / "  [28] Timeout was reached"; separator lines do not count among the two.
    PowerShell's "At …:N char:N" line is followed by the command it ran, which is read too.
    """
    window = before[-4:]
    if any(_FRAME.match(line) for line in window):
        window = before[-_ABOVE:]
    above = [line for line in window if not _SEPARATOR.match(line)][-2:]
    below = list(after[:1])
    at = next((i for i, line in enumerate(after[:2]) if _PS_AT.match(line)), None)
    if at is not None and at + 1 < len(after) and _PS_SOURCE.match(after[at + 1]):
        below.append(after[at + 1])
    for line in (text, *reversed(above), *_chain_above(text, before), *below):
        hosts = _hosts(line)
        if hosts:
            return hosts[0]
    return None

#!/usr/bin/env python3
"""Build the dataset of popular GitHub Actions' runtimes and inputs per major version.

The output, ``src/smartmon/workflows/data/action_runtimes.json``, records for each action
(``owner/repo`` or ``owner/repo/path``) and each major version (v1, v2, ...) the ``runs.using``
value and the inputs declared by the action's own ``action.yml``/``action.yaml`` at that major,
plus the newest major, the first major on node24, and whether the repository is archived or
has moved. A supported major also names its newest ``vN.a.b`` tag and commit (where a SHA pin
moves to), and ``action_tags.json`` lists the tags of the deprecated majors (to tell a pin's
version offline).

Inputs are local only:

* ``--mirrors``: a directory of bare git snapshots named ``owner+repo/repo`` (the layout of
  ``/work/.mirror``); each action's file is read with ``git cat-file`` at the
  floating major ref.
* ``--actionlint``: actionlint's generated ``popular_actions.go`` (a file, or the git directory of
  an rhysd/actionlint snapshot whose HEAD holds it).  It is parsed here (our own parser) and used
  as a cross-check and as a fallback for action-majors that no snapshot covers.  Where the two
  disagree the action's own file wins and the disagreement is printed.

The JSON holds facts only (names, refs, commits, runtimes, input names and flags).  It is written
deterministically: re-running on the same inputs gives a byte-identical file.

Regenerate with::

    python scripts/action_dataset.py --mirrors /work/.mirror \\
        --out src/smartmon/workflows/data/action_runtimes.json \\
        --tags-out src/smartmon/workflows/data/action_tags.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CHECKED = "2026-12-06"
GENERATOR = "scripts/action_dataset.py"
DEFAULT_OUT = Path("src/smartmon/workflows/data/action_runtimes.json")
DEFAULT_TAGS_OUT = Path("src/smartmon/workflows/data/action_tags.json")
ACTION_FILES = ("action.yml", "action.yaml")
MAX_MAJOR = 999  # larger numbers are date-like tags (e.g. 20240101), not majors
OLD_NODE = ("node10", "node12", "node16")  # runtimes GitHub has retired
DEPRECATED_USING = (*OLD_NODE, "node20")  # majors a SHA pin may need resolving from
FULL_TAG_RE = re.compile(r"^[vV]?(?P<major>\d+)\.(?P<minor>\d+)\.(?P<patch>\d+)$")

# Actions covered.  Names in actionlint's popular-actions data are added automatically.  The last
# lines are actions the real-workflow corpus pins by SHA most often that the list lacked.
ACTIONS_TEXT = """
1password/load-secrets-action 8398a7/action-slack abatilo/actions-poetry
actions-cool/issues-helper actions-ecosystem/action-add-labels
actions-ecosystem/action-get-latest-tag actions-rs/audit-check actions-rs/cargo
actions-rs/clippy-check actions-rs/grcov actions-rs/install actions-rs/tarpaulin
actions-rs/toolchain actions-rust-lang/rustfmt actions-rust-lang/setup-rust-toolchain
actions/add-to-project actions/ai-inference actions/attest actions/attest-build-provenance
actions/attest-sbom   actions/cache actions/cache/restore
actions/cache/save actions/checkout actions/configure-pages actions/create-github-app-token
actions/create-release actions/delete-package-versions actions/dependency-review-action
actions/deploy-pages  actions/download-artifact actions/first-interaction
 actions/github-script actions/go-dependency-submission actions/jekyll-build-pages
actions/labeler actions/publish-action actions/publish-immutable-action actions/setup-dotnet
actions/setup-elixir actions/setup-go actions/setup-haskell actions/setup-java
actions/setup-node actions/setup-python actions/setup-ruby actions/stale actions/upload-artifact
actions/upload-artifact/merge actions/upload-pages-artifact actions/upload-release-asset
ad-m/github-push-action addnab/docker-run-action akhileshns/heroku-deploy
amannn/action-semantic-pull-request aminya/setup-cpp amondnet/vercel-action anchore/sbom-action
anchore/sbom-action/download-syft anchore/sbom-action/publish-sbom anchore/scan-action
anchore/scan-action/download-grype android-actions/setup-android andstor/file-existence-action
ankane/setup-postgres anothrNick/github-tag-action anthropics/claude-code-action
anthropics/claude-code-action/base-action apple-actions/import-codesign-certs
appleboy/discord-action appleboy/scp-action appleboy/ssh-action appleboy/telegram-action
aquasecurity/setup-trivy aquasecurity/trivy-action arduino/setup-protoc arduino/setup-task
asdf-vm/actions/install asdf-vm/actions/plugin-test asdf-vm/actions/plugins-add
asdf-vm/actions/setup astral-sh/ruff-action astral-sh/setup-uv awalsh128/cache-apt-pkgs-action
aws-actions/amazon-ecr-login aws-actions/amazon-ecs-deploy-task-definition
aws-actions/amazon-ecs-render-task-definition aws-actions/aws-cloudformation-github-deploy
aws-actions/aws-codebuild-run-build aws-actions/aws-lambda-deploy
aws-actions/aws-secretsmanager-get-secrets aws-actions/configure-aws-credentials
aws-actions/setup-sam aws-actions/vulnerability-scan-github-action-for-amazon-inspector
Azure/aks-set-context Azure/appservice-settings Azure/arm-deploy Azure/bicep-deploy Azure/cli
Azure/container-apps-deploy-action Azure/container-scan Azure/docker-login
Azure/functions-action Azure/get-keyvault-secrets Azure/k8s-bake Azure/k8s-create-secret
Azure/k8s-deploy Azure/k8s-set-context Azure/login Azure/powershell Azure/setup-azd
Azure/setup-helm Azure/setup-kubectl Azure/setup-kubelogin Azure/sql-action
Azure/static-web-apps-deploy Azure/webapps-deploy bahmutov/npm-install
baptiste0928/cargo-install benc-uk/workflow-dispatch benchmark-action/github-action-benchmark
biomejs/setup-biome bobheadxi/deployments borales/actions-yarn bridgecrewio/checkov-action
bufbuild/buf-action bufbuild/buf-setup-action buildjet/cache burnett01/rsync-deployments
cachix/cachix-action cachix/install-nix-action changesets/action changesets/action/publish
chartboost/ruff-action chrnorm/deployment-action cloudflare/pages-action
cloudflare/wrangler-action codecov/codecov-action codecov/test-results-action
codespell-project/actions-codespell conda-incubator/setup-miniconda
convictional/trigger-workflow-and-wait coursier/cache-action coursier/setup-action
coverallsapp/github-action cpina/github-action-push-to-another-repository crate-ci/typos
crazy-max/ghaction-docker-buildx crazy-max/ghaction-docker-meta
crazy-max/ghaction-github-labeler crazy-max/ghaction-github-pages crazy-max/ghaction-import-gpg
crazy-max/ghaction-setup-docker crystal-lang/install-crystal cycjimmy/semantic-release-action
cygwin/cygwin-install-action cypress-io/github-action dart-lang/setup-dart
DavidAnson/markdownlint-cli2-action dawidd6/action-ansible-playbook
dawidd6/action-download-artifact dawidd6/action-send-mail denoland/setup-deno
dependabot/fetch-metadata dessant/lock-threads DeterminateSystems/magic-nix-cache-action
DeterminateSystems/nix-installer-action dflook/terraform-plan digitalocean/action-doctl
docker/bake-action docker/build-push-action docker/login-action docker/metadata-action
docker/scout-action docker/setup-buildx-action docker/setup-compose-action
docker/setup-docker-action docker/setup-qemu-action dominikh/staticcheck-action
dorny/paths-filter dorny/test-reporter dtolnay/rust-toolchain easimon/maximize-build-space
editorconfig-checker/action-editorconfig-checker egor-tensin/setup-clang egor-tensin/setup-gcc
egor-tensin/setup-mingw elgohr/Github-Release-Action elgohr/Publish-Docker-Github-Action
EmbarkStudios/cargo-deny-action EndBug/add-and-commit EndBug/label-sync EndBug/version-check
engineerd/setup-kind EnricoMi/publish-unit-test-result-action enriikke/gatsby-gh-pages-action
erlef/setup-beam erlef/setup-elixir errata-ai/vale-action expo/expo-github-action
expo/expo-github-action/fingerprint expo/expo-github-action/preview extractions/setup-just
fastify/github-action-merge-dependabot FirebaseExtended/action-hosting-deploy
fkirc/skip-duplicate-actions fortran-lang/setup-fortran game-ci/unity-builder
game-ci/unity-test-runner gaurav-nelson/github-action-markdown-link-check
github-community-projects/contributors github-community-projects/evergreen
github-community-projects/issue-metrics github-community-projects/stale-repos
github/branch-deploy  github/codeql-action/analyze
github/codeql-action/autobuild github/codeql-action/init
github/codeql-action/resolve-environment github/codeql-action/setup-codeql
github/codeql-action/start-proxy github/codeql-action/upload-sarif github/contributors
github/evergreen github/issue-labeler github/issue-metrics github/ossar-action
github/stale-repos github/super-linter github/super-linter/slim githubocto/flat
gitleaks/gitleaks-action golang/govulncheck-action golangci/golangci-lint-action
google-github-actions/auth google-github-actions/create-cloud-deploy-release
google-github-actions/deploy-appengine google-github-actions/deploy-cloud-functions
google-github-actions/deploy-cloudrun google-github-actions/deploy-gke
google-github-actions/get-gke-credentials google-github-actions/get-secretmanager-secrets
google-github-actions/release-please-action google-github-actions/run-gemini-cli
google-github-actions/setup-gcloud google-github-actions/upload-cloud-storage
googleapis/release-please-action goreleaser/goreleaser-action goto-bus-stop/setup-zig
graalvm/setup-graalvm gradle/actions/dependency-submission gradle/actions/setup-gradle
gradle/actions/wrapper-validation gradle/gradle-build-action gradle/wrapper-validation-action
hadolint/hadolint-action harmon758/postgresql-action hashicorp/setup-packer
hashicorp/setup-terraform hashicorp/vault-action haskell-actions/hlint-run
haskell-actions/hlint-setup haskell-actions/setup haskell/actions/hlint-run
haskell/actions/hlint-setup haskell/actions/setup hecrj/setup-rust-action
helm/chart-releaser-action helm/chart-testing-action helm/kind-action hendrikmuhs/ccache-action
hmarr/auto-approve-action hmarr/debug-action houseabsolute/actions-rust-cross
ikalnytskyi/action-setup-postgres ilammy/msvc-dev-cmd imjasonh/setup-ko
JamesIves/github-pages-deploy-action JasonEtco/create-an-issue jdx/mise-action
jetli/wasm-pack-action Jimver/cuda-toolkit jiro4989/setup-nim-action jlumbroso/free-disk-space
JS-DevTools/npm-publish julia-actions/cache julia-actions/julia-buildpkg
julia-actions/julia-runtest julia-actions/setup-julia jurplel/install-qt-action
kentaro-m/auto-assign-action ko-build/setup-ko KyleMayes/install-llvm-action
leafo/gh-actions-lua leafo/gh-actions-luarocks lewagon/wait-on-check-action
LouisBrunner/checks-action ludeeus/action-shellcheck lukka/get-cmake lukka/run-cmake
lukka/run-vcpkg lycheeverse/lychee-action maierj/fastlane-action
mamba-org/provision-with-micromamba mamba-org/setup-micromamba
marocchino/sticky-pull-request-comment marvinpinto/action-automatic-releases
mathieudutour/github-tag-action maxim-lobanov/setup-cocoapods maxim-lobanov/setup-xcode
medyagh/setup-minikube messense/maturin-action microsoft/playwright-github-action
microsoft/setup-msbuild mikefarah/yq mikepenz/action-junit-report
mikepenz/release-changelog-builder-action mirromutth/mysql-action
mislav/bump-homebrew-formula-action mlugg/setup-zig mozilla-actions/sccache-action
mshick/add-pr-comment msys2/setup-msys2 mxschmitt/action-tmate mxschmitt/action-tmate/detached
ncipollo/release-action nick-fields/retry nick-invision/retry nixbuild/nix-quick-install-action
nttld/setup-ndk NuGet/setup-nuget nwtgck/actions-netlify ocaml/setup-ocaml
ocaml/setup-ocaml/analysis ocaml/setup-ocaml/lint-doc ocaml/setup-ocaml/lint-fmt
ocaml/setup-ocaml/lint-opam octokit/graphql-action octokit/request-action olafurpg/setup-scala
openai/codex-action opentofu/setup-opentofu orhun/git-cliff-action ossf/scorecard-action
oven-sh/setup-bun oxsecurity/megalinter paambaati/codeclimate-action pascalgn/automerge-action
pdm-project/setup-pdm peaceiris/actions-gh-pages peaceiris/actions-hugo peaceiris/actions-mdbook
peter-evans/commit-comment peter-evans/create-or-update-comment peter-evans/create-pull-request
peter-evans/dockerhub-description peter-evans/enable-pull-request-automerge
peter-evans/find-comment peter-evans/repository-dispatch peter-evans/slash-command-dispatch
pnpm/action-setup pre-commit-ci/lite-action pre-commit/action preactjs/compressed-size-action
psf/black pulumi/actions py-actions/flake8 py-cov-action/python-coverage-comment-action
PyO3/maturin-action pypa/cibuildwheel pypa/gh-action-pip-audit pypa/gh-action-pypi-publish
quarto-dev/quarto-actions/publish quarto-dev/quarto-actions/render
quarto-dev/quarto-actions/setup r-lib/actions/check-r-package r-lib/actions/pr-fetch
r-lib/actions/pr-push r-lib/actions/setup-manifest r-lib/actions/setup-pandoc
r-lib/actions/setup-r r-lib/actions/setup-r-dependencies r-lib/actions/setup-renv
r-lib/actions/setup-tinytex r0adkll/upload-google-play raven-actions/actionlint
ReactiveCircus/android-emulator-runner redhat-actions/buildah-build redhat-actions/podman-login
redhat-actions/push-to-registry release-drafter/release-drafter
release-drafter/release-drafter/autolabeler reviewdog/action-actionlint reviewdog/action-eslint
reviewdog/action-golangci-lint reviewdog/action-hadolint reviewdog/action-misspell
reviewdog/action-rubocop reviewdog/action-setup reviewdog/action-shellcheck
reviewdog/action-tflint rhysd/action-setup-vim rhysd/github-action-benchmark
rickstaa/action-create-tag ridedott/merge-me-action rlespinasse/github-slug-action
rtCamp/action-slack-notify ruby/setup-ruby rustsec/audit-check s4u/maven-settings-action
s4u/setup-maven-action SamKirkland/FTP-Deploy-Action sarisia/actions-status-discord
satackey/action-docker-layer-caching sbt/setup-sbt seanmiddleditch/gha-setup-ninja
securego/gosec shimataro/ssh-key-action shivammathur/setup-php shogo82148/actions-setup-mysql
shogo82148/actions-setup-perl shogo82148/actions-setup-redis sigstore/cosign-installer
sigstore/gh-action-sigstore-python slackapi/slack-github-action snok/install-poetry snyk/actions
snyk/actions/docker snyk/actions/dotnet snyk/actions/golang snyk/actions/gradle snyk/actions/iac
snyk/actions/maven snyk/actions/node snyk/actions/php snyk/actions/python snyk/actions/ruby
snyk/actions/scala snyk/actions/setup softprops/action-gh-release softprops/turnstyle
SonarSource/sonarcloud-github-action SonarSource/sonarqube-quality-gate-action
SonarSource/sonarqube-scan-action SonarSource/sonarqube-scan-action/install-build-wrapper
srvaroa/labeler stCarolas/setup-maven stefanzweifel/git-auto-commit-action
step-security/harden-runner streetsidesoftware/cspell-action styfle/cancel-workflow-action
subosito/flutter-action super-linter/super-linter super-linter/super-linter/slim
supercharge/mongodb-github-action supercharge/redis-github-action superfly/flyctl-actions
superfly/flyctl-actions/setup-flyctl svenstaro/upload-release-action Swatinem/rust-cache
swift-actions/setup-swift taiki-e/create-gh-release-action taiki-e/install-action
taiki-e/upload-rust-binary-action tailscale/github-action
tcort/github-action-markdown-link-check teatimeguest/setup-texlive-action
terraform-linters/setup-tflint thollander/actions-comment-pull-request tibdex/github-app-token
tj-actions/branch-names tj-actions/changed-files tj-actions/verify-changed-files
treosh/lighthouse-ci-action TriPSs/conventional-changelog-action trufflesecurity/trufflehog
typst-community/setup-typst volta-cli/action Wandalen/wretry.action wearerequired/lint-action
webfactory/ssh-agent withastro/action wzieba/Firebase-Distribution-Github-Action
xu-cheng/latex-action zizmorcore/zizmor-action zricethezav/gitleaks-action
CodSpeedHQ/action devcontainers/ci hynek/build-and-inspect-python-package hynek/setup-cached-uv
mheap/github-action-required-labels prefix-dev/setup-pixi re-actors/alls-green rui314/setup-mold
SimenB/github-actions-cpu-cores
"""
ACTIONS: tuple[str, ...] = tuple(ACTIONS_TEXT.split())

# Branches or tags other than vN that these repositories document for use (read when present).
EXTRA_REFS: dict[str, tuple[str, ...]] = {
    "aquasecurity/trivy-action": ("master",),
    "dtolnay/rust-toolchain": ("beta", "nightly", "stable"),
    "jlumbroso/free-disk-space": ("main",),
    "ludeeus/action-shellcheck": ("master",),
    "lukka/get-cmake": ("latest",),
    "psf/black": ("stable",),
    "securego/gosec": ("master",),
    "snyk/actions": ("master",),
    "trufflesecurity/trufflehog": ("main",),
}


@dataclass(frozen=True)
class Status:
    """Repository status that a snapshot alone cannot show, with the reason it is believed."""

    note: str
    archived: bool = False
    deprecated: bool = False
    moved_to: str | None = None  # same project continued elsewhere (transfer, rename, relocation)
    successor: str | None = None  # a different project recommended as the replacement
    transfer: bool = False  # the old name redirects to moved_to, so rows are read there


_RS = "well-known: every actions-rs repository was archived in October 2023"
_HASKELL = (
    "README at snapshot HEAD lists it as DEPRECATED, replaced by haskell-actions/*; "
    "well-known: haskell/actions was archived in 2023"
)
_OSPO = "README at snapshot HEAD says the repository moved to github-community-projects"
_GH_UNMAINTAINED = "README at snapshot HEAD says unmaintained and marked Archived"

STATUS: dict[str, Status] = {
    "8398a7/action-slack": Status(
        "README at snapshot HEAD says archived on 2025-09-13 (read-only) and recommends "
        "slackapi/slack-github-action, whose inputs differ",
        archived=True,
        deprecated=True,
        successor="slackapi/slack-github-action",
    ),
    "actions-rs/audit-check": Status(
        _RS + "; its history continues in the fork rustsec/audit-check (same inputs: token)",
        archived=True,
        deprecated=True,
        moved_to="rustsec/audit-check",
    ),
    "actions-rs/cargo": Status(_RS, archived=True, deprecated=True),
    "actions-rs/clippy-check": Status(_RS, archived=True, deprecated=True),
    "actions-rs/grcov": Status(_RS, archived=True, deprecated=True),
    "actions-rs/install": Status(_RS, archived=True, deprecated=True),
    "actions-rs/tarpaulin": Status(_RS, archived=True, deprecated=True),
    "actions-rs/toolchain": Status(
        _RS + "; dtolnay/rust-toolchain is the widely used replacement",
        archived=True,
        deprecated=True,
        successor="dtolnay/rust-toolchain",
    ),
    "actions/attest-sbom": Status(
        "README at snapshot HEAD says it is deprecated in favor of actions/attest",
        deprecated=True,
        successor="actions/attest",
    ),
    "actions/create-release": Status(_GH_UNMAINTAINED, archived=True, deprecated=True),
    "actions/setup-elixir": Status(
        "README at snapshot HEAD says it is now maintained by the EEF at erlef/setup-elixir, "
        "which was renamed erlef/setup-beam; well-known: archived",
        archived=True,
        deprecated=True,
        moved_to="erlef/setup-beam",
    ),
    "actions/setup-haskell": Status(
        _GH_UNMAINTAINED + "; names haskell/actions as maintained fork, "
        "whose setup action was replaced by haskell-actions/setup",
        archived=True,
        deprecated=True,
        successor="haskell-actions/setup",
    ),
    "actions/setup-ruby": Status(
        "README at snapshot HEAD says deprecated, migrate to ruby/setup-ruby; well-known: archived",
        archived=True,
        deprecated=True,
        successor="ruby/setup-ruby",
    ),
    "actions/upload-release-asset": Status(_GH_UNMAINTAINED, archived=True, deprecated=True),
    "Azure/arm-deploy": Status(
        "README at snapshot HEAD announces future deprecation in favor of azure/bicep-deploy",
        successor="Azure/bicep-deploy",
    ),
    "Azure/container-scan": Status(
        "README at snapshot HEAD carries a deprecation notice", deprecated=True
    ),
    "Azure/docker-login": Status(
        "README at snapshot HEAD says not maintained, prefer docker/login-action",
        deprecated=True,
        successor="docker/login-action",
    ),
    "Azure/get-keyvault-secrets": Status(
        "README at snapshot HEAD says deprecated, use azure/cli instead",
        deprecated=True,
        successor="Azure/cli",
    ),
    "bufbuild/buf-setup-action": Status(
        "README at snapshot HEAD says deprecated in favor of bufbuild/buf-action",
        deprecated=True,
        successor="bufbuild/buf-action",
    ),
    "cloudflare/pages-action": Status(
        "README at snapshot HEAD says deprecated, migrate to wrangler-action, "
        "repository will remain open and archived",
        archived=True,
        deprecated=True,
        successor="cloudflare/wrangler-action",
    ),
    "codecov/test-results-action": Status(
        "README at snapshot HEAD says it will be deprecated in favor of codecov/codecov-action",
        deprecated=True,
        successor="codecov/codecov-action",
    ),
    "convictional/trigger-workflow-and-wait": Status(
        "README at snapshot HEAD says the repository is archived (January 2026)",
        archived=True,
        deprecated=True,
    ),
    "crazy-max/ghaction-docker-buildx": Status(
        "README at snapshot HEAD says moved to the Docker organization and ARCHIVED",
        archived=True,
        deprecated=True,
        moved_to="docker/setup-buildx-action",
    ),
    "crazy-max/ghaction-docker-meta": Status(
        "well-known: transferred to docker/metadata-action (GitHub redirects the old name)",
        moved_to="docker/metadata-action",
        transfer=True,
    ),
    "crazy-max/ghaction-setup-docker": Status(
        "transferred to docker/setup-docker-action (GitHub redirects the old name)",
        moved_to="docker/setup-docker-action",
        transfer=True,
    ),
    "erlef/setup-elixir": Status(
        "well-known: renamed erlef/setup-beam (GitHub redirects the old name)",
        moved_to="erlef/setup-beam",
        transfer=True,
    ),
    "gaurav-nelson/github-action-markdown-link-check": Status(
        "README at snapshot HEAD says deprecated (April 2025) and points to "
        "tcort/github-action-markdown-link-check",
        deprecated=True,
        moved_to="tcort/github-action-markdown-link-check",
    ),
    "github/contributors": Status(
        _OSPO, moved_to="github-community-projects/contributors", transfer=True
    ),
    "github/evergreen": Status(
        "moved with its sibling OSPO projects to github-community-projects",
        moved_to="github-community-projects/evergreen",
        transfer=True,
    ),
    "github/issue-metrics": Status(
        _OSPO, moved_to="github-community-projects/issue-metrics", transfer=True
    ),
    "github/stale-repos": Status(
        _OSPO, moved_to="github-community-projects/stale-repos", transfer=True
    ),
    "github/super-linter": Status(
        "README at snapshot HEAD says this is a fork of the upstream super-linter/super-linter "
        "(the project was transferred; github/super-linter is now a fork with its own tags)",
        moved_to="super-linter/super-linter",
    ),
    "github/super-linter/slim": Status(
        "README at snapshot HEAD says this is a fork of the upstream super-linter/super-linter",
        moved_to="super-linter/super-linter/slim",
    ),
    "google-github-actions/release-please-action": Status(
        "README at snapshot HEAD says DEPRECATED, development moved to "
        "googleapis/release-please-action; well-known: archived",
        archived=True,
        deprecated=True,
        moved_to="googleapis/release-please-action",
    ),
    "gradle/gradle-build-action": Status(
        "README at snapshot HEAD says superseded by gradle/actions/setup-gradle as of v3 "
        "(v3 delegates to it)",
        deprecated=True,
        moved_to="gradle/actions/setup-gradle",
    ),
    "gradle/wrapper-validation-action": Status(
        "README at snapshot HEAD says superseded by gradle/actions/wrapper-validation as of v3 "
        "(v3 delegates to it)",
        deprecated=True,
        moved_to="gradle/actions/wrapper-validation",
    ),
    "haskell/actions/hlint-run": Status(
        _HASKELL, archived=True, deprecated=True, moved_to="haskell-actions/hlint-run"
    ),
    "haskell/actions/hlint-setup": Status(
        _HASKELL, archived=True, deprecated=True, moved_to="haskell-actions/hlint-setup"
    ),
    "haskell/actions/setup": Status(
        _HASKELL, archived=True, deprecated=True, moved_to="haskell-actions/setup"
    ),
    "imjasonh/setup-ko": Status(
        "well-known: transferred to ko-build/setup-ko (GitHub redirects the old name)",
        moved_to="ko-build/setup-ko",
        transfer=True,
    ),
    "mamba-org/provision-with-micromamba": Status(
        "README at snapshot HEAD says deprecated, use mamba-org/setup-micromamba",
        deprecated=True,
        successor="mamba-org/setup-micromamba",
    ),
    "messense/maturin-action": Status(
        "well-known: transferred to PyO3/maturin-action (GitHub redirects the old name)",
        moved_to="PyO3/maturin-action",
        transfer=True,
    ),
    "microsoft/playwright-github-action": Status(
        "README at snapshot HEAD says the action is deprecated (use the Playwright CLI)",
        deprecated=True,
    ),
    "nick-invision/retry": Status(
        "well-known: the nick-invision account was renamed nick-fields "
        "(GitHub redirects the old name)",
        moved_to="nick-fields/retry",
        transfer=True,
    ),
    "paambaati/codeclimate-action": Status(
        "README at snapshot HEAD says CodeClimate is deprecated in favour of Qlty",
        deprecated=True,
    ),
    "rhysd/github-action-benchmark": Status(
        "well-known: transferred to benchmark-action/github-action-benchmark "
        "(GitHub redirects the old name)",
        moved_to="benchmark-action/github-action-benchmark",
        transfer=True,
    ),
    "SonarSource/sonarcloud-github-action": Status(
        "README at snapshot HEAD says deprecated, use sonarqube-scan-action",
        deprecated=True,
        successor="SonarSource/sonarqube-scan-action",
    ),
    "tibdex/github-app-token": Status(
        "README at snapshot HEAD says deprecated, use actions/create-github-app-token",
        deprecated=True,
        successor="actions/create-github-app-token",
    ),
    "wzieba/Firebase-Distribution-Github-Action": Status(
        "README at snapshot HEAD says deprecated", deprecated=True
    ),
    "zricethezav/gitleaks-action": Status(
        "well-known: transferred to gitleaks/gitleaks-action (GitHub redirects the old name)",
        moved_to="gitleaks/gitleaks-action",
        transfer=True,
    ),
}

VERSION_RE = re.compile(
    r"^(?P<prefix>releases?/)?(?P<v>[vV]?)(?P<major>\d+)"
    r"(?:\.(?P<minor>\d+|x))?(?:\.(?P<patch>\d+|x))?$"
)


def _num(part: str | None) -> int:
    """A version component as a number; ``x`` (a floating component) sorts above any number."""
    if part is None:
        return 0
    return 10**6 if part == "x" else int(part)


def split_name(name: str) -> tuple[str, str]:
    """``owner/repo/sub/dir`` -> (``owner/repo``, ``sub/dir``)."""
    parts = name.split("/")
    return "/".join(parts[:2]), "/".join(parts[2:])


def major_key(major: int) -> str:
    return f"v{major}"


def major_of_key(key: str) -> int | None:
    m = re.fullmatch(r"v(\d+)", key)
    return int(m.group(1)) if m else None


# --------------------------------------------------------------------------- git snapshots


@dataclass(frozen=True)
class Ref:
    name: str  # short name, e.g. "v4" or "releases/v3"
    kind: str  # "tag" or "branch"
    commit: str


@dataclass(frozen=True)
class Candidate:
    rank: tuple[int, ...]
    ref: Ref


class Mirror:
    """A bare git snapshot of one repository."""

    def __init__(self, repo: str, gitdir: Path) -> None:
        self.repo = repo
        self.gitdir = gitdir
        self._refs: list[Ref] | None = None
        self._blobs: dict[tuple[str, str], str | None] = {}

    def git(self, *args: str, check: bool = True) -> str:
        proc = subprocess.run(
            ["git", "--git-dir", str(self.gitdir), *args],
            capture_output=True,
            text=True,
            check=False,
        )
        if check and proc.returncode != 0:
            raise RuntimeError(f"git {' '.join(args)} failed in {self.gitdir}: {proc.stderr}")
        return proc.stdout if proc.returncode == 0 else ""

    def refs(self) -> list[Ref]:
        if self._refs is None:
            out = self.git(
                "for-each-ref",
                "--format=%(refname)%00%(objectname)%00%(*objectname)",
                "refs/tags",
                "refs/heads",
            )
            refs: list[Ref] = []
            for line in out.splitlines():
                full, obj, peeled = line.split("\0")
                if full.startswith("refs/tags/"):
                    refs.append(Ref(full[len("refs/tags/") :], "tag", peeled or obj))
                elif full.startswith("refs/heads/"):
                    refs.append(Ref(full[len("refs/heads/") :], "branch", peeled or obj))
            self._refs = sorted(refs, key=lambda r: (r.kind, r.name))
        return self._refs

    def head(self) -> tuple[str, str, str]:
        """(commit, commit date, default branch name)."""
        out = self.git("log", "-1", "--format=%H %cs", "HEAD").split()
        branch = self.git("symbolic-ref", "--short", "-q", "HEAD", check=False).strip()
        return out[0], out[1], branch

    def blob(self, commit: str, path: str) -> str | None:
        key = (commit, path)
        if key not in self._blobs:
            proc = subprocess.run(
                ["git", "--git-dir", str(self.gitdir), "cat-file", "blob", f"{commit}:{path}"],
                capture_output=True,
                check=False,
            )
            self._blobs[key] = (
                proc.stdout.decode("utf-8", "replace") if proc.returncode == 0 else None
            )
        return self._blobs[key]

    def readme(self, commit: str) -> str:
        names = self.git("ls-tree", "--name-only", commit, check=False).splitlines()
        for name in sorted(names):
            if name.lower().startswith("readme"):
                return self.blob(commit, name) or ""
        return ""

    def has_ancestor(self, commit: str, tip: str) -> bool:
        proc = subprocess.run(
            ["git", "--git-dir", str(self.gitdir), "merge-base", "--is-ancestor", commit, tip],
            capture_output=True,
            check=False,
        )
        return proc.returncode == 0

    def major_candidates(self) -> dict[int, list[Candidate]]:
        """Refs that can stand for each major, best first.

        Order: the floating tag ``vN`` (or ``N``), a ``vN.x`` tag, a ``releases/vN``,
        ``release/vN``, ``vN`` or ``vN.x`` branch, then the highest ``vN.a.b`` tag.
        """
        found: dict[int, list[Candidate]] = {}
        for ref in self.refs():
            m = VERSION_RE.match(ref.name)
            if not m:
                continue
            major = int(m.group("major"))
            if major > MAX_MAJOR:
                continue
            minor, patch = m.group("minor"), m.group("patch")
            no_v = 0 if m.group("v") else 1
            floating = minor in (None, "x") and patch in (None, "x")
            if ref.kind == "branch":
                if not floating or not (m.group("v") or m.group("prefix")):
                    continue
                rank: tuple[int, ...] = (2, no_v)
            elif floating and m.group("prefix") is None:
                rank = (0 if minor is None else 1, no_v)
            elif floating:
                rank = (2, no_v)
            else:
                rank = (3, -_num(minor), -_num(patch), no_v)
            found.setdefault(major, []).append(Candidate(rank, ref))
        for cands in found.values():
            cands.sort(key=lambda c: (c.rank, c.ref.kind, c.ref.name))
        return found

    def full_tags(self, major: int) -> list[Ref]:
        """The ``vN.a.b`` (or ``N.a.b``) tags of one major, newest first (``v`` spelling first)."""
        found: list[tuple[tuple[int, int, int], Ref]] = []
        for ref in self.refs():
            m = FULL_TAG_RE.match(ref.name)
            if ref.kind == "tag" and m and int(m.group("major")) == major:
                v = 0 if ref.name[0] in "vV" else 1
                found.append(((-int(m.group("minor")), -int(m.group("patch")), v), ref))
        return [ref for _, ref in sorted(found, key=lambda item: (item[0], item[1].name))]

    def named_ref(self, name: str) -> Ref | None:
        for kind in ("tag", "branch"):
            for ref in self.refs():
                if ref.kind == kind and ref.name == name:
                    return ref
        return None


class Mirrors:
    """Index of ``<root>/owner+repo/repo`` snapshots, looked up case-insensitively."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._dirs: dict[str, Path] = {}
        if root.is_dir():
            for child in sorted(root.iterdir()):
                if "+" in child.name and (child / "repo").is_dir():
                    self._dirs[child.name.lower()] = child / "repo"
        self._cache: dict[str, Mirror | None] = {}

    def get(self, repo: str) -> Mirror | None:
        key = repo.lower()
        if key not in self._cache:
            path = self._dirs.get(key.replace("/", "+", 1))
            mirror = None
            if path is not None:
                gitdir = path / ".git" if (path / ".git").is_dir() else path
                if (gitdir / "HEAD").is_file():
                    mirror = Mirror(repo, gitdir)
            self._cache[key] = mirror
        return self._cache[key]


# --------------------------------------------------------------------------- action metadata


def _yaml_load(text: str) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # both loaders are safe loaders


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "on", "1")
    return bool(value)


def parse_action(text: str) -> tuple[str | None, dict[str, dict[str, Any]], str | None]:
    """Our own reading of an action metadata file: (runs.using, inputs, note on anomalies)."""
    try:
        data = _yaml_load(text)
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return None, {}, f"YAML error: {first}"
    if not isinstance(data, dict):
        return None, {}, "metadata is not a mapping"
    runs = data.get("runs")
    using = None
    if isinstance(runs, dict) and runs.get("using") is not None:
        using = str(runs["using"]).strip().lower()
    inputs: dict[str, dict[str, Any]] = {}
    raw = data.get("inputs")
    if isinstance(raw, dict):
        for name, spec in raw.items():
            spec = spec if isinstance(spec, dict) else {}
            entry: dict[str, Any] = {
                "required": _as_bool(spec.get("required", False)),
                "default": "default" in spec,
            }
            if "deprecationMessage" in spec:
                msg = spec["deprecationMessage"]
                entry["deprecationMessage"] = "" if msg is None else str(msg).strip()
            inputs[str(name)] = entry
    note = None
    if using is None:
        note = "runs.using missing"
        if isinstance(runs, dict) and runs.get("plugin") is not None:
            note = f"runs.plugin {runs['plugin']} (a runner built-in of 2019, no runs.using)"
    return using, dict(sorted(inputs.items())), note


# --------------------------------------------------------------------------- actionlint data


@dataclass
class ActionlintSpec:
    action: str  # owner/repo[/path]
    ref: str
    inputs: dict[str, tuple[str, bool, bool, str]] = field(default_factory=dict)
    skip_inputs: bool = False
    outdated: bool = False


@dataclass
class ActionlintData:
    label: str
    specs: list[ActionlintSpec]


_GO_STR = r'"((?:[^"\\]|\\.)*)"'
_SPEC_RE = re.compile(r"^\t" + _GO_STR + r": \{$")
_INPUT_RE = re.compile(
    r"^\t\t\t" + _GO_STR + r":\s*\{" + _GO_STR + r", (true|false), (true|false), " + _GO_STR
)
_OUTDATED_RE = re.compile(r"^\t" + _GO_STR + r":\s*\{\},?$")


def _go_unquote(s: str) -> str:
    return str(json.loads(f'"{s}"'))


def parse_popular_actions_go(text: str, label: str) -> ActionlintData:
    """Read the PopularActions and OutdatedPopularActionSpecs maps of popular_actions.go."""
    specs: dict[str, ActionlintSpec] = {}
    section = ""
    current: ActionlintSpec | None = None
    for line in text.splitlines():
        if line.startswith("var PopularActions "):
            section = "popular"
            continue
        if line.startswith("var OutdatedPopularActionSpecs "):
            section = "outdated"
            continue
        if section == "popular":
            m = _SPEC_RE.match(line)
            if m:
                action, _, ref = _go_unquote(m.group(1)).partition("@")
                current = ActionlintSpec(action, ref)
                specs[f"{action}@{ref}"] = current
                continue
            if current is None:
                continue
            if line.strip() == "SkipInputs: true,":
                current.skip_inputs = True
                continue
            m = _INPUT_RE.match(line)
            if m:
                key = _go_unquote(m.group(1))
                current.inputs[key] = (
                    _go_unquote(m.group(2)),
                    m.group(3) == "true",
                    m.group(4) == "true",
                    _go_unquote(m.group(5)),
                )
        elif section == "outdated":
            m = _OUTDATED_RE.match(line)
            if m:
                action, _, ref = _go_unquote(m.group(1)).partition("@")
                specs.setdefault(f"{action}@{ref}", ActionlintSpec(action, ref)).outdated = True
    return ActionlintData(label, [specs[k] for k in sorted(specs)])


def load_actionlint(path: Path) -> ActionlintData:
    """``path`` is popular_actions.go itself or the git directory of an actionlint snapshot."""
    if path.is_dir():
        gitdir = path / ".git" if (path / ".git").is_dir() else path
        mirror = Mirror("rhysd/actionlint", gitdir)
        text = mirror.blob("HEAD", "popular_actions.go")
        if text is None:
            raise SystemExit(f"{path}: no popular_actions.go at HEAD")
        commit = mirror.git("rev-parse", "HEAD").strip()
        described = mirror.git("describe", "--tags", "HEAD", check=False).strip()
        label = f"rhysd/actionlint {described or commit[:12]} ({commit[:12]}) popular_actions.go"
    else:
        text = path.read_text(encoding="utf-8")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
        label = f"popular_actions.go sha256:{digest}"
    return parse_popular_actions_go(text, label)


def actionlint_key(ref: str) -> tuple[str, tuple[int, int, int]]:
    """Row key for an actionlint ref (vN for version refs) and a sort order within it."""
    m = VERSION_RE.match(ref)
    if not m:
        return ref, (0, 0, 0)
    minor, patch = m.group("minor"), m.group("patch")
    order = (
        1 if minor in (None, "x") else 0,
        int(minor) if minor and minor != "x" else 0,
        int(patch) if patch and patch != "x" else 0,
    )
    return major_key(int(m.group("major"))), order


# --------------------------------------------------------------------------- dataset


@dataclass
class Builder:
    mirrors: Mirrors
    actionlint: ActionlintData
    checked: str
    disagreements: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # owner/repo -> (snapshot, {full tag -> commit}) for majors whose runtime is deprecated
    repo_tags: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)

    def read_row(self, mirror: Mirror, ref: Ref, path: str, via: str) -> dict[str, Any] | None:
        for fname in ACTION_FILES:
            rel = f"{path}/{fname}" if path else fname
            text = mirror.blob(ref.commit, rel)
            if text is None:
                continue
            using, inputs, note = parse_action(text)
            source = f"snapshot {mirror.repo}@{ref.name} {rel}" + (f" ({via})" if via else "")
            row: dict[str, Any] = {
                "ref": ref.name,
                "ref_type": ref.kind,
                "commit": ref.commit,
                "using": using,
                "inputs": inputs,
                "source": source,
                "checked": self.checked,
            }
            if note:
                row["note"] = note
            return row
        return None

    def rows_from_mirror(
        self, mirror: Mirror, path: str, named: Iterable[str], via: str = ""
    ) -> dict[str, dict[str, Any]]:
        rows: dict[str, dict[str, Any]] = {}
        for major, cands in sorted(mirror.major_candidates().items()):
            for cand in cands:
                row = self.read_row(mirror, cand.ref, path, via)
                if row is not None:
                    newest = self.newest_tag(mirror, major, path, row)
                    if newest is not None:
                        row["newest"] = newest
                    rows[major_key(major)] = row
                    break
        for name in sorted(set(named)):
            ref = mirror.named_ref(name)
            if ref is not None and name not in rows:
                row = self.read_row(mirror, ref, path, via)
                if row is not None:
                    rows[name] = row
        if not rows:
            commit, _, branch = mirror.head()
            row = self.read_row(mirror, Ref(branch or "HEAD", "branch", commit), path, via)
            if row is not None:
                rows[branch or "HEAD"] = row
        return rows

    def newest_tag(
        self, mirror: Mirror, major: int, path: str, row: dict[str, Any]
    ) -> dict[str, Any] | None:
        """The newest ``vN.a.b`` tag of a major a pin can move to, with its commit and runtime.

        Only majors on a supported runtime are pin targets; the runtime is read again at the tag's
        own commit (it may differ from the floating ref's), so a pin never lands on an old node.
        """
        if row["using"] is None or row["using"] in DEPRECATED_USING:
            return None
        for ref in mirror.full_tags(major):
            for fname in ACTION_FILES:
                rel = f"{path}/{fname}" if path else fname
                text = mirror.blob(ref.commit, rel)
                if text is None:
                    continue
                using = parse_action(text)[0]
                if using is None or using in DEPRECATED_USING:
                    self.notes.append(f"{mirror.repo} {ref.name}: {rel} runs on {using}")
                    return None
                return {
                    "tag": ref.name,
                    "commit": ref.commit,
                    "using": using,
                    "source": f"snapshot {mirror.repo}@{ref.name} {rel}",
                }
            return None  # the newest tag lacks the action's file: no safe pin
        return None

    def collect_tags(
        self, repo: str, mirror: Mirror, snapshot: str, rows: dict[str, dict[str, Any]]
    ) -> None:
        """Remember the full tags of the majors a SHA pin may point into (deprecated runtimes)."""
        majors = {
            number
            for key, row in rows.items()
            if (number := major_of_key(key)) is not None
            and (row["using"] is None or row["using"] in DEPRECATED_USING)
        }
        if not majors:
            return
        _, tags = self.repo_tags.setdefault(repo, (snapshot, {}))
        for number in sorted(majors):
            for ref in mirror.full_tags(number):
                tags.setdefault(ref.name, ref.commit)

    def actionlint_row(self, spec: ActionlintSpec) -> dict[str, Any]:
        inputs: dict[str, dict[str, Any]] | None = None
        if not spec.outdated and not spec.skip_inputs:
            inputs = {}
            for name, required, deprecated, message in spec.inputs.values():
                entry: dict[str, Any] = {"required": required, "default": None}
                if deprecated:
                    entry["deprecationMessage"] = message
                inputs[name] = entry
            inputs = dict(sorted(inputs.items()))
        return {
            "ref": spec.ref,
            "ref_type": None,
            "commit": None,
            "using": None,
            "inputs": inputs,
            "source": f"actionlint popular_actions data, {self.actionlint.label} "
            f"({spec.action}@{spec.ref})",
            "checked": self.checked,
            "actionlint_outdated": spec.outdated,
        }

    def compare(
        self, name: str, key: str, row: dict[str, Any], spec: ActionlintSpec, snapshot: str
    ) -> None:
        diff: list[str] = []
        using = row["using"]
        if using is not None and spec.outdated != (using in OLD_NODE):
            said = "outdated (node<20)" if spec.outdated else "current (node20+/docker/composite)"
            diff.append(f"runtime: actionlint says {said}, action.yml says {using}")
        if not spec.outdated and not spec.skip_inputs:
            ours = {n.lower(): v for n, v in row["inputs"].items()}
            theirs = spec.inputs
            diff += [f"input only in actionlint: {n}" for n in sorted(set(theirs) - set(ours))]
            diff += [f"input only in action.yml: {n}" for n in sorted(set(ours) - set(theirs))]
            for n in sorted(set(ours) & set(theirs)):
                effective = ours[n]["required"] and not ours[n]["default"]
                if effective != theirs[n][1]:
                    diff.append(f"required-without-default differs: {n}")
                if ("deprecationMessage" in ours[n]) != theirs[n][2]:
                    diff.append(f"deprecation differs: {n}")
        row["actionlint"] = {"ref": spec.ref, "agree": not diff}
        if diff:
            row["actionlint"]["diff"] = diff
            self.disagreements.append(
                f"{name} {key}: action.yml at {row['ref']} (snapshot {snapshot}) vs actionlint "
                f"@{spec.ref}: " + "; ".join(diff)
            )

    def status_fields(self, name: str, mirror: Mirror | None, head: str) -> dict[str, Any]:
        status = STATUS.get(name)
        if status is None:
            where = f"snapshot HEAD {head[:12]}" if mirror else "no snapshot"
            return {
                "archived": False,
                "deprecated": False,
                "moved_to": None,
                "successor": None,
                "status_source": f"no archive, move or deprecation known as of {self.checked} "
                f"({where})",
            }
        evidence = [status.note]
        if mirror is not None:
            readme = mirror.readme(head).lower()
            for target in (status.moved_to, status.successor):
                if target:
                    slug = split_name(target)[0]
                    if slug.lower() in readme:
                        evidence.append(f"README at {head[:12]} names {slug}")
        return {
            "archived": status.archived,
            "deprecated": status.deprecated,
            "moved_to": status.moved_to,
            "successor": status.successor,
            "status_source": "; ".join(evidence),
        }

    def build_action(self, name: str, specs: list[ActionlintSpec]) -> dict[str, Any] | None:
        repo, path = split_name(name)
        mirror = self.mirrors.get(repo)
        named = [s.ref for s in specs if actionlint_key(s.ref)[0] == s.ref]
        named += EXTRA_REFS.get(repo, ())
        rows: dict[str, dict[str, Any]] = {}
        head, snapshot = "", None
        if mirror is not None:
            head, date, _ = mirror.head()
            snapshot = f"{mirror.repo}@{head[:12]} ({date})"
            rows = self.rows_from_mirror(mirror, path, named)
            self.collect_tags(repo, mirror, snapshot, rows)
        fields = self.status_fields(name, mirror, head)
        status = STATUS.get(name)
        if status is not None and status.moved_to and not status.transfer and mirror is not None:
            new_repo = split_name(status.moved_to)[0]
            new = self.mirrors.get(new_repo)
            if new is not None and new.has_ancestor(head, "HEAD"):
                fields["status_source"] += (
                    f"; history check: {repo} snapshot HEAD {head[:12]} is an ancestor of "
                    f"{new_repo} HEAD"
                )
        if status is not None and status.transfer and status.moved_to:
            new_repo, new_path = split_name(status.moved_to)
            new = self.mirrors.get(new_repo)
            if new is not None and mirror is not None and new.has_ancestor(head, "HEAD"):
                via = f"{repo} redirects to {new_repo}"
                moved_rows = self.rows_from_mirror(new, new_path, named, via)
                rows.update(moved_rows)
                new_head, new_date, _ = new.head()
                self.collect_tags(repo, new, f"{new.repo}@{new_head[:12]} ({new_date})", moved_rows)
                fields["status_source"] += (
                    f"; history check: {repo} snapshot HEAD {head[:12]} is an ancestor of "
                    f"{new_repo} HEAD, so rows are read from {new_repo}"
                )
            else:
                self.notes.append(f"{name}: transfer to {status.moved_to} not verified")
        best: dict[str, tuple[tuple[int, int, int], ActionlintSpec]] = {}
        for spec in specs:
            key, order = actionlint_key(spec.ref)
            if key not in best or order > best[key][0]:
                best[key] = (order, spec)
        for key, (_, spec) in sorted(best.items()):
            if key in rows:
                self.compare(name, key, rows[key], spec, snapshot or "-")
            else:
                rows[key] = self.actionlint_row(spec)
        if not rows:
            self.notes.append(f"{name}: skipped, no snapshot rows and no actionlint data")
            return None
        numeric = sorted(
            (k for k in rows if major_of_key(k) is not None), key=lambda k: major_of_key(k) or 0
        )
        named_keys = sorted(k for k in rows if major_of_key(k) is None)
        node24 = [k for k in numeric if rows[k]["using"] == "node24"]
        return {
            "repo": repo,
            "path": path,
            "snapshot": snapshot,
            "newest_major": numeric[-1] if numeric else None,
            "first_node24_major": node24[0] if node24 else None,
            **fields,
            "majors": {k: rows[k] for k in numeric + named_keys},
        }

    def build(self, names: Iterable[str]) -> dict[str, Any]:
        by_action: dict[str, list[ActionlintSpec]] = {}
        for spec in self.actionlint.specs:
            by_action.setdefault(spec.action.lower(), []).append(spec)
        canonical: dict[str, str] = {}
        for name in names:
            canonical.setdefault(name.lower(), name)
        for spec in self.actionlint.specs:
            canonical.setdefault(spec.action.lower(), spec.action)
        actions: dict[str, Any] = {}
        for lower in sorted(canonical):
            name = canonical[lower]
            entry = self.build_action(name, by_action.get(lower, []))
            if entry is not None:
                actions[name] = entry
        return {
            "generated": self.checked,
            "generator": GENERATOR,
            "sources": self.sources(),
            "actions": actions,
        }

    def sources(self) -> list[str]:
        return [
            "snapshot: git snapshots of each action's own GitHub repository; runs.using and "
            "inputs are read from action.yml (else action.yaml) at the floating major tag vN, "
            "else a vN.x tag, else a releases/vN, release/vN or vN branch, else the highest "
            "vN.a.b tag; each row names the ref and commit read.",
            f"actionlint: {self.actionlint.label}; our parser reads its PopularActions inputs "
            "(required there means required without a default) and its list of outdated "
            "specs (runners below node20). It has no runs.using, so rows taken from it have "
            "using and default null; elsewhere it is a cross-check, and the action's own file "
            "wins where they differ.",
            "status: archived, deprecated, moved_to (same project continued elsewhere) and "
            "successor (a different recommended project) come from a table in "
            f"{GENERATOR}, each backed by the README at the snapshot HEAD, a git history "
            "check or a well-known public fact, as its status_source says; archived false "
            "means not known to be archived.",
            "keys: majors are keyed vN by number even when the repository's tags have no v "
            "prefix; other keys (stable, latest, main, v3-node20) are named refs.",
            "newest: on majors with a supported runtime (node24, composite, docker), the highest "
            "vN.a.b tag of the same snapshot, its commit (peeled) and runs.using read again at "
            "that commit: where a SHA pin moves to (a fixed tag, never the moving vN). Omitted "
            "when that tag lacks the action's file or runs on a deprecated node.",
        ]

    def tags_doc(self) -> dict[str, Any]:
        repos = {
            repo: {"snapshot": snapshot, "tags": dict(sorted(tags.items(), key=_tag_order))}
            for repo, (snapshot, tags) in self.repo_tags.items()
            if tags
        }
        return {
            "generated": self.checked,
            "generator": GENERATOR,
            "sources": [
                "tags: every vN.a.b (or N.a.b) tag and the commit it points to (annotated tags "
                "peeled) in the git snapshot named per repository, for the majors whose runtime "
                "is deprecated (node12/16/20, or unknown) in some action of the repository in "
                "action_runtimes.json: a SHA pin is matched against them to learn its version "
                "offline. Repositories that moved are keyed by the old name the workflows write.",
            ],
            "repos": repos,
        }


def _tag_order(item: tuple[str, str]) -> tuple[int, int, int, str]:
    m = FULL_TAG_RE.match(item[0])
    assert m is not None
    return (int(m.group("major")), int(m.group("minor")), int(m.group("patch")), item[0])


# --------------------------------------------------------------------------- output


def render(doc: dict[str, Any], table: str = "actions") -> str:
    """Compact, deterministic JSON with one entry of `table` (actions, or repos of the tag file)
    per line."""

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    lines = ["{"]
    for key in ("generated", "generator", "sources"):
        lines.append(f"{dump(key)}:{dump(doc[key])},")
    lines.append(f"{dump(table)}:{{")
    items = sorted(doc[table].items(), key=lambda kv: (kv[0].lower(), kv[0]))
    for i, (name, entry) in enumerate(items):
        lines.append(f"{dump(name)}:{dump(entry)}" + ("," if i < len(items) - 1 else ""))
    lines.append("}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_tags(doc: dict[str, Any]) -> str:
    """The tag file: one repository per line."""
    return render(doc, "repos")


def summarize(doc: dict[str, Any]) -> Iterator[str]:
    actions = doc["actions"]
    rows = [row for entry in actions.values() for row in entry["majors"].values()]
    majors = [
        key
        for entry in actions.values()
        for key in entry["majors"]
        if major_of_key(key) is not None
    ]
    own = sum(1 for row in rows if row["source"].startswith("snapshot "))
    yield f"actions: {len(actions)}"
    yield f"action-majors (vN keys): {len(majors)}; rows incl. named refs: {len(rows)}"
    yield f"rows from the action's own action.yml: {own}; from actionlint: {len(rows) - own}"
    pinnable = [e for e in actions.values() if any("newest" in r for r in e["majors"].values())]
    yield (
        f"actions with a pin target (newest vN.a.b tag + commit of a supported major): "
        f"{len(pinnable)}; majors with one: {sum(1 for row in rows if 'newest' in row)}"
    )
    yield f"archived: {sum(1 for e in actions.values() if e['archived'])}"
    yield f"moved: {sum(1 for e in actions.values() if e['moved_to'])}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirrors", type=Path, required=True, help="owner+repo/repo snapshots")
    parser.add_argument(
        "--actionlint",
        type=Path,
        help="popular_actions.go, or an rhysd/actionlint git dir "
        "(default: <mirrors>/rhysd+actionlint/repo)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--tags-out", type=Path, default=DEFAULT_TAGS_OUT)
    parser.add_argument("--checked", default=CHECKED, help="date recorded as checked/generated")
    parser.add_argument("--check", action="store_true", help="fail if --out would change")
    args = parser.parse_args(argv)

    actionlint_path = args.actionlint or args.mirrors / "rhysd+actionlint" / "repo"
    builder = Builder(Mirrors(args.mirrors), load_actionlint(actionlint_path), args.checked)
    doc = builder.build(ACTIONS)
    outputs = {args.out: render(doc), args.tags_out: render_tags(builder.tags_doc())}
    tag_count = sum(len(tags) for _, tags in builder.repo_tags.values())

    for line in builder.disagreements:
        print(f"disagree: {line}")
    for line in builder.notes:
        print(f"note: {line}")
    for line in summarize(doc):
        print(line)
    print(
        f"tags of deprecated majors (for SHA pins): {tag_count} in {len(builder.repo_tags)} repos"
    )
    print(f"disagreements: {len(builder.disagreements)}")

    if args.check:
        stale = [
            out
            for out, text in outputs.items()
            if (out.read_text(encoding="utf-8") if out.exists() else "") != text
        ]
        for out in stale:
            print(f"{out} is out of date", file=sys.stderr)
        return 1 if stale else 0
    for out, text in outputs.items():
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env bash
# Installs the official AWS Node runtime client, aws-lambda-ric 3.3.0, into test/ric/node_modules so that
# scripts/record-ric-fixtures.ts can run the scenario handlers under it.
#
# 3.3.0 is the last release that supports Node 20 and it has no prebuilt binary: its install scripts build curl
# and aws-lambda-cpp from sources shipped in the package, then a node-gyp addon (dist/rapid-client.node). That
# needs autotools and cmake, and node-gyp must find Node's headers locally because only the npm registry and
# Debian's mirrors are reachable.
#
# Idempotent: a stamp records which lockfile and Node build the addon was made for, and a rerun with the same
# inputs only re-checks that the addon loads. Pass --force to rebuild anyway.
#
# Usage: bash scripts/setup-ric.sh [--force]
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ric_dir="$repo_root/test/ric"
pkg_dir="$ric_dir/node_modules/aws-lambda-ric"
addon="$pkg_dir/dist/rapid-client.node"
stamp="$ric_dir/node_modules/.sluice-ric-stamp"
force=0
if [[ "${1:-}" == "--force" ]]; then force=1; fi

log() { printf '[setup-ric] %s\n' "$*" >&2; }
start=$SECONDS

# --- 1. Build tools (Debian). autoconf/automake/libtool drive curl's ./buildconf; cmake builds aws-lambda-cpp;
# make and g++ build both and the addon; python3 runs node-gyp.
apt_packages=(cmake autoconf automake libtool make g++ python3)
missing=()
for pkg in "${apt_packages[@]}"; do
  # dpkg-query rather than `command -v`: python3 may come from pyenv, but the others must be real packages,
  # and libtool's m4 macros (needed by autoreconf) are only there when the package is.
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    if [[ "$pkg" == python3 ]] && command -v python3 >/dev/null; then continue; fi
    missing+=("$pkg")
  fi
done
if ((${#missing[@]} > 0)); then
  sudo_cmd=()
  if [[ "$(id -u)" != 0 ]]; then sudo_cmd=(sudo); fi
  log "installing Debian packages: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  log "Debian packages installed ($((SECONDS - start)) s)"
else
  log "Debian packages present: ${apt_packages[*]}"
fi

# --- 2. Node headers. node-gyp downloads them from nodejs.org unless told where they are, and that host is not
# reachable here. This machine's Node ships them under <prefix>/include/node; point node-gyp there unless npm is
# already configured with a nodedir (this kind of machine sets nodedir=/usr in ~/.npmrc; a fresh HOME does not).
node_prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
configured_nodedir="${npm_config_nodedir:-$(npm config get nodedir 2>/dev/null || true)}"
if [[ ( -z "$configured_nodedir" || "$configured_nodedir" == undefined ) && -f "$node_prefix/include/node/node.h" ]]; then
  export npm_config_nodedir="$node_prefix"
fi

# --- 3. npm ci, unless the addon already matches this lockfile and Node build.
want_stamp="$(
  {
    sha256sum "$ric_dir/package.json" "$ric_dir/package-lock.json" | cut -d' ' -f1
    node -p 'process.version + " " + process.arch + " abi" + process.versions.modules'
  } | tr '\n' ' '
)"
if ((force == 0)) && [[ -f "$addon" && -f "$stamp" && "$(cat "$stamp")" == "$want_stamp" ]]; then
  log "aws-lambda-ric already built for this lockfile and Node; skipping npm ci (use --force to rebuild)"
else
  build_log="$ric_dir/setup-ric.log" # ignored by git (*.log)
  log "npm ci in test/ric (builds curl, aws-lambda-cpp and the addon; about a minute; log: ${build_log#"$repo_root"/})"
  npm_start=$SECONDS
  # allowScripts in test/ric/package.json approves aws-lambda-ric's install scripts. npm 11.19 still runs
  # unapproved ones with a warning, but its docs announce blocking them by default (and strict-allow-scripts
  # already does); the addon check below catches a skipped build either way. --foreground-scripts puts the
  # native build's ~1000 lines into the log, which is printed only when something fails.
  if ! (cd "$ric_dir" && npm ci --no-audit --no-fund --foreground-scripts --loglevel=warn) >"$build_log" 2>&1; then
    tail -n 80 "$build_log" >&2
    log "npm ci failed; full output in $build_log"
    exit 1
  fi
  printf '%s' "$want_stamp" >"$stamp"
  log "npm ci done ($((SECONDS - npm_start)) s)"
fi

# --- 4. Verify. npm ci "succeeds" even when the install scripts were skipped, so check what they produce.
if [[ ! -f "$pkg_dir/bin/index.mjs" ]]; then
  log "missing $pkg_dir/bin/index.mjs"
  exit 1
fi
if [[ ! -f "$addon" ]]; then
  log "missing $addon: aws-lambda-ric's install scripts did not run (is it approved in test/ric/package.json allowScripts?)"
  rm -f "$stamp"
  exit 1
fi
installed_version="$(node -p "require('$pkg_dir/package.json').version")"
if [[ "$installed_version" != 3.3.0 ]]; then
  log "expected aws-lambda-ric 3.3.0, found $installed_version"
  exit 1
fi
# The addon reads AWS_LAMBDA_RUNTIME_API when it is loaded and aborts without it; loading it does not connect.
if ! AWS_LAMBDA_RUNTIME_API=127.0.0.1:9 node -e "require(process.argv[1])" "$addon"; then
  log "$addon failed to load"
  rm -f "$stamp"
  exit 1
fi

log "aws-lambda-ric $installed_version ready: node $pkg_dir/bin/index.mjs <file.handler> ($((SECONDS - start)) s)"

